import type { RequestIdentity } from '@ticketing/platform';
import type { AdmissionPolicy } from '../../domain/admission-policy';

/** What the queue subgraph's resolvers receive: the verified caller. */
export type Context = RequestIdentity;

export type QueuePolicyModel = AdmissionPolicy;
