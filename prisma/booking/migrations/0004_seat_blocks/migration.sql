-- Seats an admin holds back from sale. A block is a claim in seat_claims like a fan hold, so
-- the one index that fences double booking also fences a block against a hold.
-- (No semicolons or quotes in these comments: the migration runner splits the script naively.)

-- CreateTable
CREATE TABLE "seat_blocks" (
    "id" UUID NOT NULL,
    "schedule_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "blocked_by" UUID NOT NULL,
    "blocked_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "seat_blocks_pkey" PRIMARY KEY ("id")
);

-- A claim belongs to a booking or to a block: a surrogate key replaces (booking_id, seat_id).
ALTER TABLE "seat_claims" DROP CONSTRAINT "seat_claims_pkey";
ALTER TABLE "seat_claims" ADD COLUMN "id" UUID NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE "seat_claims" ADD CONSTRAINT "seat_claims_pkey" PRIMARY KEY ("id");
ALTER TABLE "seat_claims" ALTER COLUMN "booking_id" DROP NOT NULL;
ALTER TABLE "seat_claims" ADD COLUMN "block_id" UUID;

-- CreateIndex
CREATE UNIQUE INDEX "seat_claims_booking_id_seat_id_key" ON "seat_claims"("booking_id", "seat_id");
CREATE UNIQUE INDEX "seat_claims_block_id_seat_id_key" ON "seat_claims"("block_id", "seat_id");
CREATE INDEX "seat_blocks_schedule_id_idx" ON "seat_blocks"("schedule_id");

-- AddForeignKey
ALTER TABLE "seat_claims" ADD CONSTRAINT "seat_claims_block_id_fkey" FOREIGN KEY ("block_id") REFERENCES "seat_blocks"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written below: what the Prisma schema language cannot express.

-- Exactly one holder per claim, and each kind of holder keeps its own statuses: a block claim is
-- BLOCKED while live and RELEASED after, a booking claim mirrors its booking.
ALTER TABLE "seat_claims" ADD CONSTRAINT "seat_claims_one_holder" CHECK (("booking_id" IS NULL) <> ("block_id" IS NULL));
ALTER TABLE "seat_claims" ADD CONSTRAINT "seat_claims_status_of_its_holder"
    CHECK (("block_id" IS NOT NULL) = ("status" IN ('BLOCKED', 'RELEASED')));
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_status_not_a_block_status" CHECK ("status" NOT IN ('BLOCKED', 'RELEASED'));
ALTER TABLE "booking_transitions" ADD CONSTRAINT "booking_transitions_status_not_a_block_status" CHECK ("status" NOT IN ('BLOCKED', 'RELEASED'));
ALTER TABLE "seat_blocks" ADD CONSTRAINT "seat_blocks_version_not_negative" CHECK ("version" >= 0);

-- The fence now counts a live block as a live claim: one live claim per seat, hold or block.
-- Built under another name first and swapped, so the seat is never without a fence.
CREATE UNIQUE INDEX "seat_claims_one_live_claim_per_seat_next" ON "seat_claims"("seat_id")
    WHERE "status" IN ('HELD', 'PAYMENT_PENDING', 'CONFIRMED', 'BLOCKED');
DROP INDEX "seat_claims_one_active_claim_per_seat";
ALTER INDEX "seat_claims_one_live_claim_per_seat_next" RENAME TO "seat_claims_one_active_claim_per_seat";
