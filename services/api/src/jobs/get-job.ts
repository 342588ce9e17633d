import { notFound, terminalJobStatuses } from "@reelay/contract";
import { defineRowRead, modelColumns, type Db, type Job } from "@reelay/db";
import { waitForChange, type EventHub } from "@reelay/domain";

const tenantJob = defineRowRead<Job, [jobId: string, tenantId: string]>("get_job", `SELECT ${modelColumns("Job", "j")} FROM "jobs" "j" WHERE "j"."id" = $1 AND "j"."tenant_id" = $2`);

/** Clients poll it for status: one prepared statement, past Prisma's query compiler (`defineRowRead`). */
export async function getJob(db: Db, tenantId: string, jobId: string): Promise<Job> {
  const job = await tenantJob(db, jobId, tenantId);
  if (!job) throw notFound("job", jobId);
  return job;
}

/**
 * `?wait=N`: answers as soon as the job changes (any new version: status, stage, resource status)
 * or after N seconds with the job as it is; a terminal job answers at once.
 */
export async function getJobWhenChanged(deps: { prisma: Db; hub: EventHub }, tenantId: string, jobId: string, waitSeconds: number, signal?: AbortSignal): Promise<Job> {
  const first = await getJob(deps.prisma, tenantId, jobId);
  if (waitSeconds <= 0 || terminalJobStatuses.has(first.status)) return first;
  const { value } = await waitForChange(
    deps.hub,
    jobId,
    () => deps.prisma.job.findUniqueOrThrow({ where: { id: jobId } }),
    (job) => job.version !== first.version,
    { timeoutMs: waitSeconds * 1000, signal },
  );
  return value;
}
