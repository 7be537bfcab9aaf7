-- CreateEnum
CREATE TYPE "PaymentStatus" AS ENUM ('COMPLETED', 'FAILED', 'REFUNDED');

-- AlterTable
ALTER TABLE "outbox" ADD COLUMN     "position" BIGSERIAL NOT NULL;

-- CreateTable
CREATE TABLE "payments" (
    "id" UUID NOT NULL,
    "booking_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "amount" INTEGER NOT NULL,
    "status" "PaymentStatus" NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "payments_booking_id_key" ON "payments"("booking_id");

-- Hand-written below: what Prisma's schema language cannot express.

-- Amounts are whole KRW as the booking computed them, never negative (0 is a free booking).
-- A reason says why a payment is not or no longer COMPLETED, so it is there exactly then.
ALTER TABLE "payments" ADD CONSTRAINT "payments_amount_non_negative" CHECK ("amount" >= 0);
ALTER TABLE "payments" ADD CONSTRAINT "payments_reason_unless_completed" CHECK (("status" = 'COMPLETED') = ("reason" IS NULL));
ALTER TABLE "payments" ADD CONSTRAINT "payments_reason_length" CHECK (char_length("reason") BETWEEN 1 AND 500);

-- The shared relay publishes in write order (position), not by created_at, which ties inside
-- one transaction. Replaces the created_at index of 0001_init, as prisma/booking does it.
DROP INDEX "outbox_unpublished_idx";
CREATE INDEX "outbox_unpublished_idx" ON "outbox"("position") WHERE "published_at" IS NULL;
