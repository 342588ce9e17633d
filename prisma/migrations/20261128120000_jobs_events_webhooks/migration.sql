-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'sending', 'succeeded', 'failed');

-- AlterEnum
BEGIN;
CREATE TYPE "JobStatus_new" AS ENUM ('queued', 'running', 'waiting_remote', 'succeeded', 'failed', 'cancelled');
ALTER TABLE "jobs" ALTER COLUMN "status" DROP DEFAULT;
-- in_progress splits into running or waiting_remote (the stage tells which), completed is now succeeded.
ALTER TABLE "jobs" ALTER COLUMN "status" TYPE "JobStatus_new" USING (
  CASE "status"::text
    WHEN 'completed' THEN 'succeeded'
    WHEN 'in_progress' THEN CASE WHEN "stage" IN ('await_ready', 'await_indexed') THEN 'waiting_remote' ELSE 'running' END
    ELSE "status"::text
  END::"JobStatus_new");
ALTER TYPE "JobStatus" RENAME TO "JobStatus_old";
ALTER TYPE "JobStatus_new" RENAME TO "JobStatus";
DROP TYPE "JobStatus_old";
ALTER TABLE "jobs" ALTER COLUMN "status" SET DEFAULT 'queued';
COMMIT;

-- DropIndex
DROP INDEX "events_resource_id_idx";

-- AlterTable
ALTER TABLE "assets" ADD COLUMN     "job_id" TEXT,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "knowledge_stores" ADD COLUMN     "job_id" TEXT,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "knowledge_store_items" ADD COLUMN     "job_id" TEXT,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "responses" ADD COLUMN     "background" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "job_id" TEXT,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "next_poll_at" TIMESTAMP(3),
ADD COLUMN     "resource_status" TEXT,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "waiting_remote_at" TIMESTAMP(3),
ADD COLUMN     "last_error_json" JSONB;
-- The old free-text error was never shown to clients and may hold driver text: keep only that there was one.
UPDATE "jobs" SET "last_error_json" = jsonb_build_object('code', 'error', 'message', 'The job failed before error details were recorded.', 'retryable', "status" NOT IN ('failed', 'succeeded', 'cancelled'))
  WHERE "last_error" IS NOT NULL;
ALTER TABLE "jobs" DROP COLUMN "last_error";
ALTER TABLE "jobs" RENAME COLUMN "last_error_json" TO "last_error";
-- Every resource points at its job.
UPDATE "assets" a SET "job_id" = j."id" FROM "jobs" j WHERE j."resource_id" = a."id";
UPDATE "knowledge_stores" s SET "job_id" = j."id" FROM "jobs" j WHERE j."resource_id" = s."id";
UPDATE "knowledge_store_items" i SET "job_id" = j."id" FROM "jobs" j WHERE j."resource_id" = i."id";
UPDATE "responses" r SET "job_id" = j."id" FROM "jobs" j WHERE j."resource_id" = r."id";

-- AlterTable
ALTER TABLE "events" ADD COLUMN     "job_id" TEXT,
ADD COLUMN     "relayed_at" TIMESTAMP(3),
ADD COLUMN     "sequence" INTEGER;
-- Events written before this migration: numbered per resource in creation order, and treated as
-- already relayed (no webhook endpoint existed to receive them).
UPDATE "events" e SET "sequence" = n.seq, "relayed_at" = CURRENT_TIMESTAMP
  FROM (SELECT "id", row_number() OVER (PARTITION BY "resource_id" ORDER BY "created_at", "id") AS seq FROM "events") n
  WHERE n."id" = e."id";
UPDATE "assets" a SET "version" = (SELECT count(*) FROM "events" e WHERE e."resource_id" = a."id");
UPDATE "knowledge_stores" s SET "version" = (SELECT count(*) FROM "events" e WHERE e."resource_id" = s."id");
UPDATE "knowledge_store_items" i SET "version" = (SELECT count(*) FROM "events" e WHERE e."resource_id" = i."id");
ALTER TABLE "events" ALTER COLUMN "sequence" SET NOT NULL;

-- CreateTable
CREATE TABLE "webhook_endpoints" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT,
    "events" TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "secret" TEXT NOT NULL,
    "previous_secret" TEXT,
    "previous_secret_expires_at" TIMESTAMP(3),
    "failing_since" TIMESTAMP(3),
    "paused_until" TIMESTAMP(3),
    "disabled_at" TIMESTAMP(3),
    "disabled_reason" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "resource_id" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_until" TIMESTAMP(3),
    "last_attempt_at" TIMESTAMP(3),
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "succeeded_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_attempts" (
    "id" TEXT NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "attempted_at" TIMESTAMP(3) NOT NULL,
    "status_code" INTEGER,
    "latency_ms" INTEGER NOT NULL,
    "error" TEXT,
    "response" TEXT,
    "trigger" TEXT NOT NULL DEFAULT 'scheduled',

    CONSTRAINT "webhook_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "webhook_endpoints_tenant_id_created_at_idx" ON "webhook_endpoints"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_endpoint_id_created_at_idx" ON "webhook_deliveries"("endpoint_id", "created_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_endpoint_id_resource_id_sequence_idx" ON "webhook_deliveries"("endpoint_id", "resource_id", "sequence");

-- CreateIndex
CREATE INDEX "webhook_deliveries_status_next_attempt_at_idx" ON "webhook_deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_endpoint_id_event_id_key" ON "webhook_deliveries"("endpoint_id", "event_id");

-- CreateIndex
CREATE INDEX "webhook_attempts_delivery_id_attempted_at_idx" ON "webhook_attempts"("delivery_id", "attempted_at");

-- CreateIndex
CREATE INDEX "jobs_tenant_id_created_at_idx" ON "jobs"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "jobs_resource_id_idx" ON "jobs"("resource_id");

-- CreateIndex
CREATE UNIQUE INDEX "events_resource_id_sequence_key" ON "events"("resource_id", "sequence");

-- AddForeignKey
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The relay's work list: events not yet fanned out, oldest first.
CREATE INDEX "events_unrelayed_idx" ON "events"("created_at") WHERE "relayed_at" IS NULL;
