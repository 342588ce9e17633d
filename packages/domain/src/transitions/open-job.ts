import { Prisma, type Db, type Job } from "@reelay/db";
import type { JobType } from "@reelay/jobs";
import { createJob, type JobChange } from "./jobs.ts";

const openStatuses = ["queued", "running", "waiting_remote"] as const;

/**
 * The open job of `type` on a resource, or a new one. At most one job of a kind is open per
 * resource (a partial unique index), and that is all a change needs: the job reads the latest
 * state when it runs, and confirms under the resource's row lock that nothing changed while it
 * pushed (or pushes again). Call it only with the resource's row locked (right after updating it),
 * so that two writers cannot both decide to create the job.
 */
export async function ensureOpenJob(tx: Db, input: { tenantId: string; type: JobType; resourceId: string; resourceStatus: string }): Promise<{ job: Job; created: boolean }> {
  const open = await tx.job.findFirst({ where: { type: input.type, resourceId: input.resourceId, status: { in: [...openStatuses] } } });
  if (open) return { job: open, created: false };
  return { job: await createJob(tx, input), created: true };
}

/**
 * How a job ends when the tenant deletes its resource: `cancelled`, and without its cleanup job,
 * because the delete job removes whatever the work left on the platform (once, not twice).
 */
export const jobCancelledByDeletion = (what: string): JobChange => ({
  status: "cancelled",
  stage: "cancelled",
  lastError: { code: "resource_deleted", message: `${what} was deleted.`, retryable: false },
  cleanUp: false,
});

/** Tables whose rows a transition locks to read a version that must not move under it. */
type VersionedTable = "knowledge_stores" | "item_collections";

/** Locks a row (FOR NO KEY UPDATE: inserts referencing it are not blocked) and returns its version, or undefined. */
export async function lockVersion(tx: Db, table: VersionedTable, id: string): Promise<number | undefined> {
  const rows = await tx.$queryRaw<Array<{ version: number }>>`SELECT "version" FROM ${Prisma.raw(`"${table}"`)} WHERE "id" = ${id} FOR NO KEY UPDATE`;
  return rows[0]?.version;
}
