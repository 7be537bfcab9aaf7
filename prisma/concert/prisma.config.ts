import { defineDatabaseConfig } from '../define-database-config';

export default defineDatabaseConfig('concert', 'CONCERT_DATABASE_URL');
