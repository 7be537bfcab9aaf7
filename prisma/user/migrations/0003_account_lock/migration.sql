-- AlterTable
ALTER TABLE "users" ADD COLUMN     "locked" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "locked_reason" TEXT,
ADD COLUMN     "locked_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "users_created_at_id_idx" ON "users"("created_at", "id");
