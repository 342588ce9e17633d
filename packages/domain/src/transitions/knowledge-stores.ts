import { newId, notFound } from "@reelay/contract";
import type { Db, Job, KnowledgeStore, Prisma } from "@reelay/db";
import { toKnowledgeStoreWire, withItemCount, type KnowledgeStoreWithCount } from "../wire/knowledge-store-wire.ts";
import { changeJob, createJob } from "./jobs.ts";
import { ensureOpenJob, lockVersion } from "./open-job.ts";
import { appendEvent } from "./outbox.ts";
import { applyJobEffect, type JobEffect } from "./resource-job.ts";
import { conditionally } from "./stale-state.ts";

/** A new store (`pending` on the platform) with its create job and their events. */
export async function createKnowledgeStoreRecord(
  tx: Db,
  data: Omit<Prisma.KnowledgeStoreUncheckedCreateInput, "jobId" | "version" | "syncStatus" | "createdAt" | "updatedAt">,
): Promise<{ store: KnowledgeStoreWithCount; job: Job }> {
  const jobId = newId("job");
  const now = new Date();
  const store = await tx.knowledgeStore.create({ data: { ...data, jobId, version: 1, createdAt: now, updatedAt: now }, include: withItemCount });
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

/** What `PATCH /knowledge-stores/{id}` may change; `metadata` replaces the stored map in full. */
export interface KnowledgeStoreChanges {
  name?: string | undefined;
  description?: string | undefined;
  metadata?: Record<string, string> | undefined;
}

/**
 * A live store's name, description or metadata change, with its `knowledge_store.updated` event.
 * The push to the platform is the store's open `knowledge_store.update` job, or a new one: a job
 * pushes the latest state, so updates in quick succession share one. 404 for a missing or deleted
 * store (of another tenant, too).
 */
export async function updateKnowledgeStoreRecord(tx: Db, tenantId: string, storeId: string, changes: KnowledgeStoreChanges): Promise<{ store: KnowledgeStoreWithCount; job: Job }> {
  // Locks the row first: a job confirming its push (finishKnowledgeStoreUpdate) waits for this.
  const locked = await tx.knowledgeStore.updateMany({
    where: { id: storeId, tenantId, deletedAt: null },
    data: {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.metadata !== undefined ? { metadata: changes.metadata } : {}),
      version: { increment: 1 },
      updatedAt: new Date(),
    },
  });
  if (locked.count === 0) throw notFound("knowledge_store", storeId, "knowledge_stores");
  const { syncStatus } = await tx.knowledgeStore.findUniqueOrThrow({ where: { id: storeId }, select: { syncStatus: true } });
  const { job } = await ensureOpenJob(tx, { tenantId, type: "knowledge_store.update", resourceId: storeId, resourceStatus: syncStatus });
  const store = await tx.knowledgeStore.update({ where: { id: storeId }, data: { jobId: job.id }, include: withItemCount });
  await appendEvent(tx, { type: "knowledge_store.updated", tenantId, resourceId: storeId, sequence: store.version, jobId: job.id, data: toKnowledgeStoreWire(store) });
  return { store, job };
}

/**
 * Ends an update job whose push is still the store's state, checked under the store's row lock:
 * an update committed meanwhile found this job open and left its push to it, so it must not be
 * lost. `current: false` (nothing written) means the store moved on: push again.
 */
export async function finishKnowledgeStoreUpdate(tx: Db, storeId: string, pushedVersion: number, job: JobEffect): Promise<{ job: Job | undefined; current: boolean }> {
  const version = await lockVersion(tx, "knowledge_stores", storeId);
  if (version !== pushedVersion) return { job: undefined, current: false };
  return { job: await changeJob(tx, job.job, job.change ?? {}), current: true };
}
