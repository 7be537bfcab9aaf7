-- A seat's status changes with every hold, sale, expiry, block and release (the seat projection),
-- and (schedule_id, status) was an index on it: every change was a new row version with a new
-- entry in each of the table's three indexes (issue 10). No query reads seats by status: every
-- read is by id or by schedule, which the unique (schedule_id, section, row, number) index serves
-- as its prefix. Without an index on `status` (nor on `status_sequence` or `updated_at`, which
-- change with it) PostgreSQL updates a seat on its own page without touching an index (a HOT
-- update) whenever the page has room, which the fillfactor keeps.
ALTER TABLE "seats" SET (fillfactor = 70);
DROP INDEX "seats_schedule_id_status_idx";
