export * from './booking';
export * from './envelope';
export * from './payment';
export * from './registry';
export * from './services';
export * from './topics';
export * from './realtime';
export * from './queue-admission';
