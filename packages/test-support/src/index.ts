export * from './database';
export * from './graphql-client';
export * from './system';
export * from './isolated-system';
export { createScratchDatabase, createScratchPool } from './stack';
export * from './fixtures';
export * from './saga';
export * from './catalog';
export * from './browser';
