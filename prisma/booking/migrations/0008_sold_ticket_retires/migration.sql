-- A queue ticket whose booking was sold is retired: it backs no other booking (ADR 0013). The
-- per-ticket index now covers sold bookings (CONFIRMED, and REFUNDED after them) as well as live
-- ones, so a hold's check for a sold booking on its ticket is a probe of this index, and the index
-- is still the fence for "one live booking per ticket". A REFUNDED booking is only ever reached
-- from CONFIRMED, when the waiting room had already retired the ticket: no existing rows conflict.
DROP INDEX "bookings_one_live_booking_per_ticket";
CREATE UNIQUE INDEX "bookings_one_live_booking_per_ticket" ON "bookings"("queue_ticket_id")
    WHERE "status" IN ('HELD', 'PAYMENT_PENDING', 'CONFIRMED', 'REFUNDED');
