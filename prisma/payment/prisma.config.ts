import { defineDatabaseConfig } from '../define-database-config';

export default defineDatabaseConfig('payment', 'PAYMENT_DATABASE_URL');
