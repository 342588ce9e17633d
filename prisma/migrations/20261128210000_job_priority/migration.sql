-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "priority" INTEGER NOT NULL DEFAULT 1;


-- A tenant's open jobs, counted at every create to set the new job's priority.
CREATE INDEX "jobs_open_by_tenant" ON "jobs"("tenant_id") WHERE "status" IN ('queued', 'running', 'waiting_remote');
