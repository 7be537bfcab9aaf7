-- CreateTable
CREATE TABLE "queue_tickets" (
    "ticket_id" UUID NOT NULL,
    "schedule_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "entered_at" TIMESTAMPTZ(3) NOT NULL,
    "queue_number" INTEGER,

    CONSTRAINT "queue_tickets_pkey" PRIMARY KEY ("ticket_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "queue_tickets_schedule_id_queue_number_key" ON "queue_tickets"("schedule_id", "queue_number");

-- CreateIndex
CREATE INDEX "queue_tickets_schedule_id_entered_at_idx" ON "queue_tickets"("schedule_id", "entered_at");

-- Hand-written (no semicolons or quotes in these comments: the migration runner splits the script naively).
-- Numbers start at 1 like the waiting room counter.
ALTER TABLE "queue_tickets" ADD CONSTRAINT "queue_tickets_queue_number_positive" CHECK ("queue_number" > 0);
