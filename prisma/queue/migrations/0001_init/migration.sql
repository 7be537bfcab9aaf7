-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "admission_policies" (
    "schedule_id" UUID NOT NULL,
    "admits_per_second" INTEGER NOT NULL,
    "max_active" INTEGER NOT NULL,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" UUID NOT NULL,

    CONSTRAINT "admission_policies_pkey" PRIMARY KEY ("schedule_id")
);

-- CreateTable
CREATE TABLE "admission_audit" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "schedule_id" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "detail" JSONB NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "admission_audit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "admission_audit_schedule_id_at_idx" ON "admission_audit"("schedule_id", "at");

-- Hand-written below: what the Prisma schema language cannot express.
-- (No semicolons or quotes in these comments: the migration runner splits the script naively.)
ALTER TABLE "admission_policies" ADD CONSTRAINT "admission_policies_admits_per_second_positive" CHECK ("admits_per_second" > 0);
ALTER TABLE "admission_policies" ADD CONSTRAINT "admission_policies_max_active_positive" CHECK ("max_active" > 0);
