-- An admin held the seat back from sale (SeatsBlocked from the booking subgraph, which owns the
-- block as a claim in its seat fence). Projected like HELD and SOLD, in seatSequence order.
ALTER TYPE "SeatStatus" ADD VALUE IF NOT EXISTS 'BLOCKED';
