-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "BookingStatus" AS ENUM ('HELD', 'PAYMENT_PENDING', 'CONFIRMED', 'CANCELLED', 'EXPIRED');

-- CreateTable
CREATE TABLE "bookings" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "schedule_id" UUID NOT NULL,
    "status" "BookingStatus" NOT NULL,
    "amount" INTEGER NOT NULL,
    "held_until" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bookings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "seat_claims" (
    "booking_id" UUID NOT NULL,
    "seat_id" UUID NOT NULL,
    "schedule_id" UUID NOT NULL,
    "status" "BookingStatus" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "seat_claims_pkey" PRIMARY KEY ("booking_id","seat_id")
);

-- CreateTable
CREATE TABLE "booking_transitions" (
    "booking_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "BookingStatus" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT,

    CONSTRAINT "booking_transitions_pkey" PRIMARY KEY ("booking_id","version")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" UUID NOT NULL,
    "position" BIGSERIAL NOT NULL,
    "aggregate_type" TEXT NOT NULL,
    "aggregate_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inbox" (
    "event_id" UUID NOT NULL,
    "consumer" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_pkey" PRIMARY KEY ("event_id","consumer")
);

-- CreateIndex
CREATE INDEX "bookings_user_id_created_at_id_idx" ON "bookings"("user_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "seat_claims_schedule_id_seat_id_idx" ON "seat_claims"("schedule_id", "seat_id");

-- AddForeignKey
ALTER TABLE "seat_claims" ADD CONSTRAINT "seat_claims_booking_id_fkey" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "booking_transitions" ADD CONSTRAINT "booking_transitions_booking_id_fkey" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written below: what the Prisma schema language cannot express.
-- (No semicolons or quotes in these comments: the migration runner splits the script naively.)

-- The final fence against double booking, whatever Redis locks say: at most one live claim
-- per seat. Claims of ended bookings (CANCELLED, EXPIRED) leave the index, so the seat can be
-- held again and resale after expiry works, while the old claim stays as history.
CREATE UNIQUE INDEX "seat_claims_one_active_claim_per_seat" ON "seat_claims"("seat_id")
    WHERE "status" IN ('HELD', 'PAYMENT_PENDING', 'CONFIRMED');

ALTER TABLE "bookings" ADD CONSTRAINT "bookings_amount_not_negative" CHECK ("amount" >= 0);
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_version_not_negative" CHECK ("version" >= 0);
-- A hold deadline exists exactly while seats are held (PAYMENT_PENDING keeps the hold as a semantic lock).
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_held_until_while_holding"
    CHECK (("status" IN ('HELD', 'PAYMENT_PENDING')) = ("held_until" IS NOT NULL));
ALTER TABLE "booking_transitions" ADD CONSTRAINT "booking_transitions_version_not_negative" CHECK ("version" >= 0);

-- Scanned by the hold sweeper: HELD bookings by deadline, for the guarded transition
-- WHERE status = HELD AND held_until <= now.
CREATE INDEX "bookings_hold_deadline_idx" ON "bookings"("held_until") WHERE "status" = 'HELD';

-- Scanned by the outbox relay: unpublished events in write order. Published rows leave the index.
CREATE INDEX "outbox_unpublished_idx" ON "outbox"("position") WHERE "published_at" IS NULL;
