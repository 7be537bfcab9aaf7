export * from './append-outcome';
export * from './connection';
export * from './cursor';
export * from './gap-detection';
export * from './mongo-event-store';
export * from './stored-event';
export * from './upcasting';
