import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * An admission pass: the waiting room's signed word that one fan may hold seats for one schedule
 * until an instant, so booking checks a hold's admission without asking the queue (ADR 0013).
 *
 * `p1.<scheduleId>.<ticketId>.<expiresAt in ms>.<mac>`, mac = base64url HMAC-SHA256 with
 * ADMISSION_PASS_SECRET (known to the queue, which issues, and to booking, which reads) over
 * schedule, ticket, expiry and the user it was issued to. Like a queue token, the user id is in
 * the MAC only, so a pass copied to another account fails there, and nothing in it can be changed
 * without the secret. The queue issues one only for an ACTIVE ticket, with the ticket's expiry.
 *
 * What a pass cannot say is that its ticket was retired early by a confirmed booking: booking
 * knows that itself (a ticket whose booking was sold backs no other booking, by index).
 */
export interface AdmissionPassClaims {
  scheduleId: string;
  ticketId: string;
  expiresAt: Date;
}

const VERSION = 'p1';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const PASS = new RegExp(`^${VERSION}\\.(${UUID})\\.(${UUID})\\.(\\d{1,15})\\.([A-Za-z0-9_-]{43})$`);
/** Longer than any pass we issue: refused before the regex runs. */
const MAX_PASS_LENGTH = VERSION.length + 1 + 36 + 1 + 36 + 1 + 15 + 1 + 43;

function mac(secret: string, scheduleId: string, ticketId: string, expiresAtMs: string, userId: string): string {
  // Fixed-width UUIDs, a decimal and a separator none of them contains: no two inputs share a message.
  return createHmac('sha256', secret).update(`admission-pass|${VERSION}|${scheduleId}|${ticketId}|${expiresAtMs}|${userId}`).digest('base64url');
}

export function issueAdmissionPass(secret: string, claims: AdmissionPassClaims, userId: string): string {
  const expiresAtMs = String(claims.expiresAt.getTime());
  return `${VERSION}.${claims.scheduleId}.${claims.ticketId}.${expiresAtMs}.${mac(secret, claims.scheduleId, claims.ticketId, expiresAtMs, userId)}`;
}

/** Whether `token` is meant as a pass (and not a queue token): says nothing about its validity. */
export const isAdmissionPass = (token: string): boolean => token.startsWith(`${VERSION}.`);

export type AdmissionPassReading =
  | { kind: 'Admitted'; ticketId: string; expiresAt: Date }
  | { kind: 'Rejected'; reason: 'FORGED' | 'OTHER_SCHEDULE' | 'EXPIRED' };

/**
 * Does `pass` admit `userId` to `scheduleId` at `now`? Pure: the MAC first (compared in constant
 * time, so timing tells a forger nothing), then the schedule, then the expiry. A pass issued to
 * someone else is FORGED here: unlike a queue token, nothing is looked up to tell the two apart.
 */
export function readAdmissionPass(secret: string, pass: string, expected: { userId: string; scheduleId: string; now: Date }): AdmissionPassReading {
  if (pass.length > MAX_PASS_LENGTH) return { kind: 'Rejected', reason: 'FORGED' };
  const match = PASS.exec(pass);
  if (!match) return { kind: 'Rejected', reason: 'FORGED' };
  const [, scheduleId, ticketId, expiresAtMs, signature] = match as unknown as [string, string, string, string, string];
  const wanted = Buffer.from(mac(secret, scheduleId, ticketId, expiresAtMs, expected.userId));
  const given = Buffer.from(signature);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { kind: 'Rejected', reason: 'FORGED' };
  // Schedule ids are compared as the waiting room writes them (lower case).
  if (scheduleId !== expected.scheduleId.toLowerCase()) return { kind: 'Rejected', reason: 'OTHER_SCHEDULE' };
  const expiresAt = new Date(Number(expiresAtMs));
  if (expected.now.getTime() >= expiresAt.getTime()) return { kind: 'Rejected', reason: 'EXPIRED' };
  return { kind: 'Admitted', ticketId, expiresAt };
}
