-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "SeatStatus" AS ENUM ('AVAILABLE', 'HELD', 'SOLD');

-- CreateTable
CREATE TABLE "concerts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "title" TEXT NOT NULL,
    "artist" TEXT NOT NULL,
    "venue" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "concerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schedules" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "concert_id" UUID NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "booking_opens_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "schedules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "seats" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "schedule_id" UUID NOT NULL,
    "section" TEXT NOT NULL,
    "row" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "price" INTEGER NOT NULL,
    "status" "SeatStatus" NOT NULL DEFAULT 'AVAILABLE',
    "version" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "seats_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "concerts_created_at_id_idx" ON "concerts"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "schedules_concert_id_starts_at_idx" ON "schedules"("concert_id", "starts_at");

-- CreateIndex
CREATE INDEX "schedules_booking_opens_at_idx" ON "schedules"("booking_opens_at");

-- CreateIndex
CREATE INDEX "seats_schedule_id_status_idx" ON "seats"("schedule_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "seats_schedule_id_section_row_number_key" ON "seats"("schedule_id", "section", "row", "number");

-- AddForeignKey
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_concert_id_fkey" FOREIGN KEY ("concert_id") REFERENCES "concerts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "seats" ADD CONSTRAINT "seats_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: invariants Prisma cannot express (no semicolons in these comments:
-- the WASM schema engine splits the script at every one, even inside a comment).
-- A schedule cannot open for booking after the show has started.
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_booking_opens_before_start_check" CHECK ("booking_opens_at" <= "starts_at");

-- Prices are whole KRW and never negative, seat numbers start at 1, labels are never blank.
ALTER TABLE "seats" ADD CONSTRAINT "seats_price_check" CHECK ("price" >= 0);
ALTER TABLE "seats" ADD CONSTRAINT "seats_number_check" CHECK ("number" > 0);
ALTER TABLE "seats" ADD CONSTRAINT "seats_labels_check" CHECK (length(btrim("section")) > 0 AND length(btrim("row")) > 0);
ALTER TABLE "seats" ADD CONSTRAINT "seats_version_check" CHECK ("version" >= 0);
