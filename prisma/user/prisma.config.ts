import { defineDatabaseConfig } from '../define-database-config';

export default defineDatabaseConfig('user', 'USER_DATABASE_URL');
