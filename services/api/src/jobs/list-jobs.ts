import type { JobListQuery } from "@reelay/contract";
import type { Db, Job, Prisma } from "@reelay/db";

/** Newest first. */
export async function listJobs(db: Db, tenantId: string, query: JobListQuery): Promise<{ rows: Job[]; total: number }> {
  const where: Prisma.JobWhereInput = {
    tenantId,
    ...(query.resource_id ? { resourceId: query.resource_id } : {}),
    ...(query.type?.length ? { type: { in: query.type } } : {}),
    ...(query.status?.length ? { status: { in: query.status } } : {}),
  };
  const [rows, total] = await Promise.all([
    db.job.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (query.page - 1) * query.page_limit, take: query.page_limit }),
    db.job.count({ where }),
  ]);
  return { rows, total };
}
