import { defineDatabaseConfig } from '../define-database-config';

export default defineDatabaseConfig('queue', 'QUEUE_DATABASE_URL');
