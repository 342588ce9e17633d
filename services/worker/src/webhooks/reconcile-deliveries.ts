import type { Queue } from "bullmq";
import type { PrismaClient } from "@reelay/db";
import { dispatchDeliveries } from "@reelay/jobs";

/**
 * Postgres is the truth for deliveries too: any pending delivery overdue by more than `staleMs`
 * (its batch job was lost with Redis, or never dispatched after a crash) and any claim whose lease
 * lapsed (its sender died) is dispatched again. Sending is claimed atomically, so a redundant
 * batch costs one query and sends nothing twice.
 */
export async function reconcileDeliveries(deps: { prisma: PrismaClient; webhookQueue: Queue; log: (message: string) => void }, staleMs = 30_000): Promise<number> {
  const now = Date.now();
  const overdue = new Date(now - staleMs).toISOString();
  const rows = await deps.prisma.$queryRaw<Array<{ endpoint_id: string; ids: string[] }>>`
    SELECT d."endpoint_id", (array_agg(d."id" ORDER BY d."created_at", d."id"))[1:5000] AS "ids"
    FROM "webhook_deliveries" d JOIN "webhook_endpoints" ep ON ep."id" = d."endpoint_id"
    WHERE ep."enabled" AND (
      (d."status" = 'pending' AND d."next_attempt_at" < ${overdue}::timestamp(3) AND (ep."paused_until" IS NULL OR ep."paused_until" < ${overdue}::timestamp(3)))
      OR (d."status" = 'sending' AND d."lease_until" < ${new Date(now).toISOString()}::timestamp(3)))
    GROUP BY d."endpoint_id"`;
  let dispatched = 0;
  // One round key per pass: a batch kept in Redis from an earlier pass must not swallow this one.
  const key = `r${now.toString(36)}`;
  for (const row of rows) {
    await dispatchDeliveries(deps.webhookQueue, row.endpoint_id, row.ids, { key });
    dispatched += row.ids.length;
  }
  if (dispatched) deps.log(`reconciler: re-dispatched ${dispatched} webhook deliveries`);
  return dispatched;
}
