-- AlterTable
ALTER TABLE "users" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;

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


-- Hand-written: the outbox relay polls only what is still to be published, in write order,
-- published rows drop out of the index.
CREATE INDEX "outbox_unpublished_idx" ON "outbox"("position") WHERE "published_at" IS NULL;

-- Hand-written: one event per stream position. A writer that numbered the event of an account wrong
-- (a lost role-change race, a bug) fails here instead of publishing a twin.
CREATE UNIQUE INDEX "outbox_stream_version_key" ON "outbox"("aggregate_type", "aggregate_id", (("payload"->>'streamVersion')::int));
