-- A seat claim can be an admin block as well as a booking claim (0004_seat_blocks).
-- (No semicolons or quotes in these comments: the migration runner splits the script naively.)
-- Values added in their own migration: PostgreSQL refuses to use a new enum value in the
-- transaction that added it, and 0004 writes them into a CHECK and the claim index.
ALTER TYPE "BookingStatus" ADD VALUE IF NOT EXISTS 'BLOCKED';
ALTER TYPE "BookingStatus" ADD VALUE IF NOT EXISTS 'RELEASED';
