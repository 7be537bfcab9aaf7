-- A confirmed booking given back (refundBooking): its claims stop being live, so its seats are on sale again.
-- (No semicolons or quotes in these comments: the migration runner splits the script naively.)
-- In its own migration: PostgreSQL refuses to use a new enum value in the transaction that added it.
ALTER TYPE "BookingStatus" ADD VALUE IF NOT EXISTS 'REFUNDED';
