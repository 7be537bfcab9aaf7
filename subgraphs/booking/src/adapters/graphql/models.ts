import type DataLoader from 'dataloader';
import type { RequestIdentity } from '@ticketing/platform';
import type { BookingDetails } from '../../application/ports';

/** What the booking subgraph's resolvers receive: the verified caller and per-request loaders. */
export interface Context extends RequestIdentity {
  bookingsById: DataLoader<string, BookingDetails | null>;
}

export type BookingModel = BookingDetails;
