-- AlterTable
ALTER TABLE "seats" DROP COLUMN "version",
ADD COLUMN     "status_sequence" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "inbox" (
    "event_id" UUID NOT NULL,
    "consumer" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_pkey" PRIMARY KEY ("event_id","consumer")
);

-- Hand-written (no semicolons in these comments: the WASM schema engine splits at every one).
-- Booking sequences start at 1, and 0 means no change applied yet.
ALTER TABLE "seats" ADD CONSTRAINT "seats_status_sequence_check" CHECK ("status_sequence" >= 0);
