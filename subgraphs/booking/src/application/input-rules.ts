/** Any UUID PostgreSQL accepts; ids arrive from clients in any case and are stored lower-case. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The same alphabet and length chargeWallet accepts, so one client key generator fits both. */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_\-:.]{1,100}$/;

export const isUuid = (value: string) => UUID.test(value);
export const canonicalUuid = (value: string) => value.toLowerCase();
export const isIdempotencyKey = (value: string) => IDEMPOTENCY_KEY.test(value);
