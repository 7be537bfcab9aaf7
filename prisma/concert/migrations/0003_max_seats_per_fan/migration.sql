-- AlterTable
ALTER TABLE "schedules" ADD COLUMN     "max_seats_per_fan" INTEGER NOT NULL DEFAULT 4;

-- Hand-written (no semicolons in these comments: the WASM schema engine splits at every one).
-- A fan may always hold at least one seat, and no schedule lets one fan sweep a block.
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_max_seats_per_fan_check" CHECK ("max_seats_per_fan" BETWEEN 1 AND 10);
