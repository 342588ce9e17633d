import type { Queue } from "bullmq";
import type { PrismaClient } from "@reelay/db";
import { bullJobId, dispatch, isJobType, payloadFor } from "@reelay/jobs";

const LIVE_STATES = new Set(["waiting", "delayed", "active", "prioritized", "waiting-children"]);

/**
 * Postgres is the source of truth: every unfinished job row must have a live BullMQ job. Any
 * that does not (Redis lost, dispatch failed after commit, a crash between steps) is dispatched
 * again under its deterministic id, so running this at any time is harmless.
 */
export async function reconcileJobs(deps: { prisma: PrismaClient; queue: Queue; log: (message: string) => void }, batchSize = 500): Promise<number> {
  let redispatched = 0;
  let cursor: string | undefined;
  for (;;) {
    const rows = await deps.prisma.job.findMany({
      where: { status: { in: ["queued", "running", "waiting_remote"] } },
      orderBy: { id: "asc" },
      take: batchSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: { id: true, type: true, resourceId: true },
    });
    for (const row of rows) {
      if (!isJobType(row.type)) continue;
      const existing = await deps.queue.getJob(bullJobId(row.type, row.resourceId));
      const state = existing ? await existing.getState() : "missing";
      if (LIVE_STATES.has(state)) continue;
      // A completed or failed BullMQ job under the same id would swallow the re-dispatch.
      if (existing) await existing.remove().catch(() => undefined);
      await dispatch(deps.queue, row.type, payloadFor(row.type, row.resourceId));
      redispatched++;
      deps.log(`reconciler: re-dispatched ${row.type} ${row.resourceId} (was ${state})`);
    }
    if (rows.length < batchSize) return redispatched;
    cursor = rows[rows.length - 1]?.id;
  }
}
