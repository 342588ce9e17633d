import { newId } from "@reelay/contract";
import type { Db, Job, KnowledgeStore, Prisma } from "@reelay/db";
import { toKnowledgeStoreWire, withItemCount, type KnowledgeStoreWithCount } from "../wire/knowledge-store-wire.ts";
import { createJob } from "./jobs.ts";
import { appendEvent } from "./outbox.ts";
import { applyJobEffect, type JobEffect } from "./resource-job.ts";
import { conditionally } from "./stale-state.ts";

/** A new store (`pending` on the platform) with its create job and their events. */
export async function createKnowledgeStoreRecord(
  tx: Db,
  data: Omit<Prisma.KnowledgeStoreUncheckedCreateInput, "jobId" | "version" | "syncStatus">,
): Promise<{ store: KnowledgeStoreWithCount; job: Job }> {
  const jobId = newId("job");
  const store = await tx.knowledgeStore.create({ data: { ...data, jobId, version: 1 }, include: withItemCount });
  const job = await createJob(tx, { id: jobId, tenantId: store.tenantId, type: "knowledge_store.create", resourceId: store.id, resourceStatus: store.syncStatus });
  await appendEvent(tx, { type: "knowledge_store.created", tenantId: store.tenantId, resourceId: store.id, sequence: 1, jobId, data: toKnowledgeStoreWire(store) });
  return { store, job };
}

/** A pending store exists on the platform now (synced, with its upstream id) or never will (failed). */
export async function finishKnowledgeStore(
  tx: Db,
  storeId: string,
  outcome: { syncStatus: "synced"; upstreamId: string } | { syncStatus: "failed"; errorMessage: string },
  job?: JobEffect,
): Promise<{ store: KnowledgeStore; job: Job | undefined }> {
  const store = await conditionally("knowledge_store", storeId, () =>
    tx.knowledgeStore.update({
      where: { id: storeId, syncStatus: "pending" },
      data: {
        syncStatus: outcome.syncStatus,
        ...(outcome.syncStatus === "synced" ? { upstreamId: outcome.upstreamId, errorMessage: null } : { errorMessage: outcome.errorMessage }),
        version: { increment: 1 },
      },
      include: withItemCount,
    }),
  );
  await appendEvent(tx, {
    type: `knowledge_store.${outcome.syncStatus}`,
    tenantId: store.tenantId,
    resourceId: store.id,
    sequence: store.version,
    jobId: store.jobId,
    data: toKnowledgeStoreWire(store),
  });
  return { store, job: await applyJobEffect(tx, job, store.syncStatus) };
}
