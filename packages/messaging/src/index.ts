export * from './kafka-bus';
export * from './outbox-relay';
export * from './append-to-outbox';
export * from './stamp-envelopes';
export * from './inbox-consumer';
export * from './dead-letters';
export * from './retry-policy';
export * from './service-messaging';
