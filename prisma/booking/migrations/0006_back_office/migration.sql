-- The back office reads a schedule bookings newest first, keyset-paginated on (created_at, id),
-- optionally by status: one index serves both (the status filter is applied on the index scan).
-- (No semicolons or quotes in these comments: the migration runner splits the script naively.)
CREATE INDEX "bookings_schedule_id_created_at_id_idx" ON "bookings"("schedule_id", "created_at", "id");

-- A comp (bookBlockedSeats): confirmed for a named guest by an admin, amount 0, no queue ticket and no payment.
ALTER TABLE "bookings" ADD COLUMN "guest_name" TEXT;
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_guest_name_length" CHECK ("guest_name" IS NULL OR char_length("guest_name") BETWEEN 1 AND 200);
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_comp_is_free" CHECK ("guest_name" IS NULL OR "amount" = 0);
