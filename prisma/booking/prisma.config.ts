import { defineDatabaseConfig } from '../define-database-config';

export default defineDatabaseConfig('booking', 'BOOKING_DATABASE_URL');
