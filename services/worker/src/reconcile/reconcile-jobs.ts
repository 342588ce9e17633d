import type { Queue } from "bullmq";
import type { PrismaClient } from "@reelay/db";
import { bullJobId, dispatch, isJobType } from "@reelay/jobs";

const LIVE_STATES = ["waiting", "active", "delayed", "prioritized", "waiting-children"] as const;

/**
 * Postgres is the source of truth: every unfinished job row must have a live BullMQ job. Any
 * that does not (Redis lost, dispatch failed after commit, a crash between steps) is dispatched
 * again under its deterministic id, so running this at any time is harmless. The live ids come
 * from Redis in one call per pass, not one per row.
 */
export async function reconcileJobs(deps: { prisma: PrismaClient; queue: Queue; log: (message: string) => void }, batchSize = 1_000): Promise<number> {
  const live = new Set(await deps.queue.getRanges([...LIVE_STATES], 0, -1));
  let redispatched = 0;
  let cursor: string | undefined;
  for (;;) {
    const rows = await deps.prisma.job.findMany({
      where: { status: { in: ["queued", "running", "waiting_remote"] } },
      orderBy: { id: "asc" },
      take: batchSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: { id: true, type: true, priority: true },
    });
    for (const row of rows) {
      if (!isJobType(row.type)) continue;
      const id = bullJobId(row.type, row.id);
      if (live.has(id)) continue;
      // Not live in the snapshot, which was taken before this page was read: the row may have been
      // written (and dispatched) since. Only a job that is still not live is dispatched again; a
      // completed or failed BullMQ job under the same id would swallow the re-dispatch.
      const existing = await deps.queue.getJob(id);
      if (existing && (LIVE_STATES as readonly string[]).includes(await existing.getState())) continue;
      await existing?.remove().catch(() => undefined);
      await dispatch(deps.queue, row);
      redispatched++;
    }
    if (rows.length < batchSize) break;
    cursor = rows[rows.length - 1]?.id;
  }
  if (redispatched) deps.log(`reconciler: re-dispatched ${redispatched} job(s) with no live queue entry`);
  return redispatched;
}
