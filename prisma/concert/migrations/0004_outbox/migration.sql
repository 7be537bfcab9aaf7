-- AlterTable
ALTER TABLE "concerts" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "schedules" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;

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

-- Hand-written (no semicolons or quotes in these comments: the WASM schema engine splits at every semicolon).
-- Scanned by the outbox relay: unpublished events in write order. Published rows leave the index.
CREATE INDEX "outbox_unpublished_idx" ON "outbox"("position") WHERE "published_at" IS NULL;
-- The relay holds back later rows of an aggregate while an earlier one is unpublished.
CREATE INDEX "outbox_unpublished_by_aggregate_idx" ON "outbox"("aggregate_type", "aggregate_id", "position")
    WHERE "published_at" IS NULL;
-- The fence behind gapless streams: no two events ever take one position of one stream.
CREATE UNIQUE INDEX "outbox_stream_version_key" ON "outbox"("aggregate_type", "aggregate_id", (("payload"->>'streamVersion')::int));
-- Events in the stream of the row so far (concert or schedule): the next event is numbered from it.
ALTER TABLE "concerts" ADD CONSTRAINT "concerts_version_check" CHECK ("version" >= 0);
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_version_check" CHECK ("version" >= 0);
