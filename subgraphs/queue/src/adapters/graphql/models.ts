import type { RequestIdentity } from '@ticketing/platform';
import type { AdmissionPolicy } from '../../domain/admission-policy';
import type { QueueTicketView } from '../../domain/queue-ticket';

/** What the queue subgraph's resolvers receive: the verified caller. */
export type Context = RequestIdentity;

export type QueuePolicyModel = AdmissionPolicy;
export type QueueTicketModel = QueueTicketView;
