-- An admin closed the sales of the schedule (closeSales): the queue takes no arrivals and admits
-- nobody, and holds are refused, until openSales clears it. Null while sales are open.
-- (No semicolons or quotes in these comments: the migration runner splits the script naively.)
ALTER TABLE "schedules" ADD COLUMN "sales_closed_at" TIMESTAMPTZ(3);
