import type { Queue } from "bullmq";
import { eventCatalog, isEventType, newId } from "@reelay/contract";
import type { PrismaClient } from "@reelay/db";
import type { EventHub } from "@reelay/domain";
import { dispatch, dispatchDeliveries, isJobType, wakeJob, type JobType } from "@reelay/jobs";

export interface RelayDeps {
  prisma: PrismaClient;
  hub: EventHub;
  queue: Queue;
  webhookQueue: Queue;
  log: (message: string, error?: unknown) => void;
  /** Events fanned out per transaction. Default 500. */
  batchSize?: number;
  /** The safety-net scan when no notification comes. Default 5000 ms. */
  safetyMs?: number;
}

interface PendingEvent {
  id: string;
  tenant_id: string;
  type: string;
  resource_id: string;
  sequence: number;
}

/** An event markQuiet relayed, with its job when it is a job.created whose job is still queued. */
interface QuietEvent extends PendingEvent {
  job: { id: string; type: string; priority: number } | null;
}

/** Event types a webhook endpoint may receive. */
const deliverableTypes = Object.entries(eventCatalog).flatMap(([type, definition]) => (definition.webhook ? [type] : []));

/** Events whose resource other jobs wait for: an asset or a store they need upstream. */
const dependents: Record<string, (prisma: PrismaClient, resourceId: string) => Promise<Array<{ type: JobType; id: string }>>> = {
  asset: async (prisma, assetId) => [
    ...(await prisma.knowledgeStoreItem.findMany({ where: { assetId, status: "queued", upstreamId: null }, select: { id: true } })).map((item) => ({ type: "item.index" as const, id: item.id })),
    // A transcription asked for early waits for its asset too.
    { type: "asset.transcribe" as const, id: assetId },
  ],
  knowledge_store: async (prisma, knowledgeStoreId) => [
    ...(await prisma.knowledgeStoreItem.findMany({ where: { knowledgeStoreId, status: "queued", upstreamId: null }, select: { id: true } })).map((item) => ({ type: "item.index" as const, id: item.id })),
    ...(await prisma.response.findMany({ where: { knowledgeStoreId, status: "queued" }, select: { id: true } })).map((response) => ({ type: "response.create" as const, id: response.id })),
    // An update, a collection's sync and a search wait for the store to exist upstream too.
    { type: "knowledge_store.update" as const, id: knowledgeStoreId },
    ...(await prisma.itemCollection.findMany({ where: { knowledgeStoreId, syncStatus: "pending", deletedAt: null }, select: { id: true } })).map((c) => ({ type: "collection.sync" as const, id: c.id })),
    ...(await prisma.knowledgeStoreSearch.findMany({ where: { knowledgeStoreId, status: "queued" }, select: { id: true } })).map((search) => ({ type: "search.run" as const, id: search.id })),
  ],
  // A question selecting a collection waits for its platform copy to be synced (or failed, or deleted).
  knowledge_store_item_collection: async (prisma, collectionId) => {
    const collection = await prisma.itemCollection.findUnique({ where: { id: collectionId }, select: { knowledgeStoreId: true } });
    if (!collection) return [];
    const responses = await prisma.response.findMany({ where: { knowledgeStoreId: collection.knowledgeStoreId, status: { in: ["queued", "in_progress"] } }, select: { id: true } });
    return responses.map((response) => ({ type: "response.create" as const, id: response.id }));
  },
};
const wakingTypes = new Set([
  "asset.ready",
  "asset.failed",
  "knowledge_store.synced",
  "knowledge_store.failed",
  "knowledge_store_item_collection.synced",
  "knowledge_store_item_collection.failed",
  "knowledge_store_item_collection.deleted",
]);

/**
 * The outbox relay: fans every committed event out to its consumers. It creates a webhook
 * delivery per matching endpoint (in the transaction that marks the event relayed, so a crash
 * loses none and doubles none), then dispatches the deliveries and wakes the jobs that wait for the
 * event's resource. Woken by NOTIFY, with a slow scan as the safety net; several relays (one per
 * worker process) share the work through SKIP LOCKED. Most events need no delivery (no endpoint of
 * their tenant can want them): those are marked in one statement, and only the rest pay for the
 * transaction that creates deliveries, so the relay costs a busy database one round trip per pass.
 */
export function createRelay(deps: RelayDeps) {
  const batchSize = deps.batchSize ?? 500;
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  let stopped = false;

  /**
   * Marks relayed, in one statement, the oldest unrelayed events that need no webhook delivery (no
   * endpoint can want them: not deliverable, or their tenant has no enabled endpoint), the usual
   * case; the others stay for fanOut. Each marked job.created comes with its job if still queued.
   * An endpoint committed after this statement's snapshot misses these events, as it would miss
   * them if committed after fanOut's read of the endpoints.
   */
  async function markQuiet(): Promise<{ picked: number; events: QuietEvent[] }> {
    const [row] = await deps.prisma.$queryRaw<Array<{ picked: number; events: QuietEvent[] | null }>>`
      WITH picked AS (
        SELECT "id", "tenant_id", "type" FROM "events"
        WHERE "relayed_at" IS NULL ORDER BY "created_at", "id" LIMIT ${batchSize} FOR UPDATE SKIP LOCKED
      ), marked AS (
        UPDATE "events" e SET "relayed_at" = (clock_timestamp() AT TIME ZONE 'UTC')
        FROM picked p
        WHERE e."id" = p."id"
          AND (NOT (p."type" = ANY(${deliverableTypes}::text[]))
               OR NOT EXISTS (SELECT 1 FROM "webhook_endpoints" w WHERE w."tenant_id" = p."tenant_id" AND w."enabled"))
        RETURNING e."id", e."tenant_id", e."type", e."resource_id", e."sequence", e."created_at"
      )
      SELECT (SELECT count(*) FROM picked)::int AS "picked",
        (SELECT json_agg(json_build_object(
            'id', m."id", 'tenant_id', m."tenant_id", 'type', m."type", 'resource_id', m."resource_id", 'sequence', m."sequence",
            'job', CASE WHEN j."id" IS NULL THEN NULL ELSE json_build_object('id', j."id", 'type', j."type", 'priority', j."priority") END)
          ORDER BY m."created_at", m."id")
         FROM marked m LEFT JOIN "jobs" j ON m."type" = 'job.created' AND j."id" = m."resource_id" AND j."status" = 'queued') AS "events"`;
    return { picked: row?.picked ?? 0, events: row?.events ?? [] };
  }

  /** Fans events out to webhook endpoints: deliveries created in the transaction that marks the events relayed. */
  async function fanOut() {
    return deps.prisma.$transaction(async (tx) => {
      const events = await tx.$queryRaw<PendingEvent[]>`
        SELECT "id", "tenant_id", "type", "resource_id", "sequence" FROM "events"
        WHERE "relayed_at" IS NULL ORDER BY "created_at", "id" LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`;
      if (events.length === 0) return undefined;
      const deliverable = events.filter((event) => isEventType(event.type) && eventCatalog[event.type].webhook);
      const tenants = [...new Set(deliverable.map((event) => event.tenant_id))];
      const endpoints = tenants.length
        ? await tx.webhookEndpoint.findMany({ where: { tenantId: { in: tenants }, enabled: true }, select: { id: true, tenantId: true, events: true } })
        : [];
      const deliveries = [];
      for (const event of deliverable) {
        for (const endpoint of endpoints) {
          if (endpoint.tenantId !== event.tenant_id) continue;
          // A test event goes to the endpoint it tests, and only there.
          if (event.type === "webhook_endpoint.test" ? endpoint.id !== event.resource_id : endpoint.events.length > 0 && !endpoint.events.includes(event.type)) continue;
          deliveries.push({ id: newId("webhookDelivery"), tenantId: event.tenant_id, endpointId: endpoint.id, eventId: event.id, eventType: event.type, resourceId: event.resource_id, sequence: event.sequence });
        }
      }
      // One statement each, not Prisma's createMany/updateMany: compiling a 500-row insert costs
      // Prisma's query compiler a good part of a second, which every delivery of the batch waited for.
      const now = new Date().toISOString();
      if (deliveries.length) {
        await tx.$executeRaw`
          INSERT INTO "webhook_deliveries" ("id", "tenant_id", "endpoint_id", "event_id", "event_type", "resource_id", "sequence", "next_attempt_at", "created_at", "updated_at")
          SELECT d."id", d."tenantId", d."endpointId", d."eventId", d."eventType", d."resourceId", d."sequence", ${now}::timestamp(3), ${now}::timestamp(3), ${now}::timestamp(3)
          FROM jsonb_to_recordset(${JSON.stringify(deliveries)}::jsonb)
            AS d("id" text, "tenantId" text, "endpointId" text, "eventId" text, "eventType" text, "resourceId" text, "sequence" int)
          ON CONFLICT DO NOTHING`;
      }
      await tx.$executeRaw`UPDATE "events" SET "relayed_at" = ${now}::timestamp(3) WHERE "id" = ANY(${events.map((event) => event.id)}::text[])`;
      return { events, deliveries };
    });
  }

  async function relayBatch(): Promise<number> {
    const quiet = await markQuiet();
    // Only when some picked event may be wanted by an endpoint: the full transaction.
    const fanned = quiet.picked > quiet.events.length ? await fanOut() : undefined;
    const events: PendingEvent[] = [...quiet.events, ...(fanned?.events ?? [])];
    if (events.length === 0) return 0;

    // After commit: Postgres holds the deliveries, so a failed dispatch is redone by the reconciler.
    const byEndpoint = new Map<string, string[]>();
    for (const delivery of fanned?.deliveries ?? []) byEndpoint.set(delivery.endpointId, [...(byEndpoint.get(delivery.endpointId) ?? []), delivery.id]);
    for (const [endpointId, ids] of byEndpoint) {
      await dispatchDeliveries(deps.webhookQueue, endpointId, ids).catch((error: unknown) => deps.log(`relay: dispatch to ${endpointId} deferred to the reconciler`, error));
    }
    // Jobs created inside a transaction the API did not dispatch after (a cleanup written by a
    // failing job, say) start here; for the others BullMQ's id makes this a no-op.
    const jobs = quiet.events.flatMap((event) => (event.job ? [event.job] : []));
    const created = (fanned?.events ?? []).filter((event) => event.type === "job.created").map((event) => event.resource_id);
    if (created.length) jobs.push(...(await deps.prisma.job.findMany({ where: { id: { in: created }, status: "queued" }, select: { id: true, type: true, priority: true } })));
    for (const job of jobs) await dispatch(deps.queue, job).catch((error: unknown) => deps.log(`relay: dispatch of ${job.type} ${job.id} deferred to the reconciler`, error));
    for (const event of events) {
      if (!wakingTypes.has(event.type)) continue;
      const resource = event.type.slice(0, event.type.indexOf("."));
      const waiting = (await dependents[resource]?.(deps.prisma, event.resource_id)) ?? [];
      if (waiting.length === 0) continue;
      const jobs = await deps.prisma.job.findMany({
        where: { resourceId: { in: waiting.map((w) => w.id) }, type: { in: [...new Set(waiting.map((w) => w.type))] }, status: { in: ["queued", "running", "waiting_remote"] } },
        select: { id: true, type: true, priority: true },
      });
      for (const job of jobs) if (isJobType(job.type)) await wakeJob(deps.queue, job.type, job.id);
    }
    // A full batch either way: more may be waiting.
    return Math.max(quiet.picked, fanned?.events.length ?? 0);
  }

  /** Relays until the outbox is empty; a call while a pass runs makes it run once more. */
  function relayNow(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          while (!stopped && (await relayBatch()) === batchSize);
        } catch (error) {
          deps.log("relay: pass failed (the next notification or scan retries)", error);
        }
      } while (again && !stopped);
    })().finally(() => (running = undefined));
    return running;
  }

  return {
    start(): void {
      // A transaction's events arrive together (one notification each): one pass sees them all.
      let soon: NodeJS.Immediate | undefined;
      unsubscribe = deps.hub.onEvent(() => {
        soon ??= setImmediate(() => {
          soon = undefined;
          void relayNow();
        });
      });
      timer = setInterval(() => void relayNow(), deps.safetyMs ?? 5_000);
      timer.unref();
      void relayNow();
    },
    relayNow,
    async close(): Promise<void> {
      stopped = true;
      unsubscribe?.();
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
