export * from './append-outcome';
export * from './connection';
export * from './cursor';
export * from './gap-detection';
export * from './mongo-event-store';
export * from './stored-event';
export * from './upcasting';
/** The one copy of the driver, for read models kept next to the events (the history subgraph's). */
export { MongoBulkWriteError, MongoClient, MongoServerError, type Collection, type Db, type Document, type OptionalUnlessRequiredId } from 'mongodb';
