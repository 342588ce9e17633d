import type { Db } from "@reelay/db";
import type { JobType } from "@reelay/jobs";

/**
 * When a job of `type` last marked a create of this resource as sent (this job or an earlier one,
 * ended or not), if one ever did: a job that must find the platform's copy without knowing its id
 * (a delete after a crash, a cancelled create) looks it up by its stamp from then on.
 */
export async function lastCreateSentAt(db: Db, type: JobType, resourceId: string): Promise<Date | undefined> {
  const job = await db.job.findFirst({ where: { type, resourceId, createSentAt: { not: null } }, orderBy: { createdAt: "desc" }, select: { createSentAt: true } });
  return job?.createSentAt ?? undefined;
}
