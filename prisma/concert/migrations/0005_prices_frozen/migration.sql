-- AlterTable
ALTER TABLE "schedules" ADD COLUMN     "prices_frozen_at" TIMESTAMPTZ(3);
