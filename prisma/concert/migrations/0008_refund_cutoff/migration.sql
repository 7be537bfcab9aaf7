-- The refund policy of a schedule: hours before starts_at from which a fan may no longer refund
-- their own confirmed booking (the booking subgraph asks when a fan calls refundBooking).
-- (No semicolons or quotes in these comments: the migration runner splits the script naively.)
ALTER TABLE "schedules" ADD COLUMN "refund_cutoff_hours" INTEGER NOT NULL DEFAULT 24;
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_refund_cutoff_hours_range" CHECK ("refund_cutoff_hours" BETWEEN 0 AND 8760);
