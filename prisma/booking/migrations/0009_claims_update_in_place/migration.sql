-- A claim's status mirrors its booking's, so a paid booking's HELD → PAYMENT_PENDING → CONFIRMED
-- rewrote each of its claims twice, and since `status` was in the predicate of the one-live-claim
-- index, every rewrite was a new row version with a new entry in each of the table's five indexes
-- (issue 10: most of a payment's PostgreSQL work in booking). The fence now reads `live`, a stored
-- generated column that those steps leave unchanged; with no index reading `status` itself,
-- PostgreSQL updates the claim on its own page without touching an index (a HOT update) whenever
-- the page has room, which the fillfactor keeps. A claim that stops being live (cancelled,
-- expired, refunded, released) leaves the index as before. Same rule, same index name: the
-- writers' error mapping (ONE_ACTIVE_CLAIM_INDEX) is unchanged. Adding a stored column rewrites
-- the table under an exclusive lock: on a large deployment, run it between on-sales.
ALTER TABLE "seat_claims" SET (fillfactor = 50);
ALTER TABLE "seat_claims" ADD COLUMN "live" BOOLEAN NOT NULL
    GENERATED ALWAYS AS ("status" IN ('HELD', 'PAYMENT_PENDING', 'CONFIRMED', 'BLOCKED')) STORED;
-- Built under another name first and swapped, so the seat is never without a fence.
CREATE UNIQUE INDEX "seat_claims_one_live_claim_per_seat_next" ON "seat_claims"("seat_id") WHERE "live";
DROP INDEX "seat_claims_one_active_claim_per_seat";
ALTER INDEX "seat_claims_one_live_claim_per_seat_next" RENAME TO "seat_claims_one_active_claim_per_seat";
