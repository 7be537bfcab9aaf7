-- The write side of the saga: what a hold, a payment request and a payment outcome record.
-- (No semicolons or quotes in these comments: the migration runner splits the script naively.)

-- The waiting-room ticket that admitted the hold, so the queue can retire it once confirmed.
ALTER TABLE "bookings" ADD COLUMN "queue_ticket_id" TEXT;
-- The payment that settled the booking (from PaymentCompleted), refunded if it came too late.
ALTER TABLE "bookings" ADD COLUMN "payment_id" UUID;
-- The key of the payBooking call that moved the booking to PAYMENT_PENDING: a retry with the
-- same key answers the same booking, another booking of the same fan cannot reuse it.
ALTER TABLE "bookings" ADD COLUMN "payment_idempotency_key" TEXT;
-- When payment was requested: a PAYMENT_PENDING booking times out from here, not from held_until.
ALTER TABLE "bookings" ADD COLUMN "payment_requested_at" TIMESTAMPTZ(3);

CREATE UNIQUE INDEX "bookings_user_payment_key" ON "bookings"("user_id", "payment_idempotency_key")
    WHERE "payment_idempotency_key" IS NOT NULL;

-- Scanned by the payment-timeout sweep.
CREATE INDEX "bookings_payment_pending_idx" ON "bookings"("payment_requested_at") WHERE "status" = 'PAYMENT_PENDING';

-- One number per change of seat claims, drawn inside the changing transaction. For one seat a
-- later change always draws a larger number (the one-active-claim index orders the writers),
-- so the concert projection can drop events that arrive out of order across partitions.
CREATE SEQUENCE "seat_sequence" AS BIGINT START WITH 1;

-- The relay holds back a row while an older row of the same aggregate is unpublished.
CREATE INDEX "outbox_unpublished_by_aggregate_idx" ON "outbox"("aggregate_type", "aggregate_id", "position")
    WHERE "published_at" IS NULL;

-- One queue ticket backs one live booking at a time: an admitted fan cannot sweep the hall
-- four seats at a time with a single admission.
CREATE UNIQUE INDEX "bookings_one_live_booking_per_ticket" ON "bookings"("queue_ticket_id")
    WHERE "status" IN ('HELD', 'PAYMENT_PENDING', 'CONFIRMED');
