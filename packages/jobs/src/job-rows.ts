import { newId } from "@reelay/contract";
import type { Db, Job } from "@reelay/db";
import { jobCatalog, type JobType } from "./catalog.ts";

/** Writes the job row for an operation, in the caller's transaction with the resource itself. */
export async function createJobRow(db: Db, input: { tenantId: string; type: JobType; resourceId: string; now?: Date }): Promise<Job> {
  const now = input.now ?? new Date();
  return db.job.create({
    data: {
      id: newId("job"),
      tenantId: input.tenantId,
      type: input.type,
      resourceId: input.resourceId,
      deadlineAt: new Date(now.getTime() + jobCatalog[input.type].deadlineMs),
    },
  });
}

export async function findJobRow(db: Db, type: JobType, resourceId: string): Promise<Job | null> {
  return db.job.findUnique({ where: { type_resourceId: { type, resourceId } } });
}
