import { notFound } from "@reelay/contract";
import type { Db, Job, KnowledgeStoreItem } from "@reelay/db";
import { toCollectionWire, withMemberCount, type CollectionWithCount } from "../wire/collection-wire.ts";
import { toItemWire } from "../wire/item-wire.ts";
import { toKnowledgeStoreWire, withItemCount, type KnowledgeStoreWithCount } from "../wire/knowledge-store-wire.ts";
import { leaveCollections } from "./collections.ts";
import { endJob } from "./end-job.ts";
import { changeJob, createJob } from "./jobs.ts";
import { jobCancelledByDeletion } from "./open-job.ts";
import { appendEvent } from "./outbox.ts";

/*
 * Deletes are soft: the rows stay (`deleted_at`) for the jobs that remove the platform's copies and
 * for the event history, and every read leaves them out. Each delete ends the open work on what it
 * deletes in the same transaction and writes the one job that deletes the platform's copy.
 */

const openStatuses = ["queued", "running", "waiting_remote"] as const;
/** Jobs whose resource someone may be waiting on (a question, a search): they end it failed, so the wait ends with a 404. */
const answeredJobs = new Set(["response.create", "search.run"]);

/**
 * Ends every open job on resources that were just deleted: a question or search fails with a 404
 * (its caller is told), anything else is cancelled without its cleanup job (the delete job removes
 * what the work left upstream).
 */
export async function endJobsOfDeleted(tx: Db, resourceIds: string[], what: string): Promise<void> {
  if (resourceIds.length === 0) return;
  const jobs = await tx.job.findMany({ where: { resourceId: { in: resourceIds }, status: { in: [...openStatuses] } }, orderBy: { id: "asc" } });
  for (const job of jobs) {
    if (answeredJobs.has(job.type)) {
      await endJob(tx, job, { status: "cancelled", error: { code: "resource_not_exist", message: `${what} was deleted.`, retryable: false }, httpStatus: 404, cleanUp: false });
    } else {
      await changeJob(tx, job, jobCancelledByDeletion(what));
    }
  }
}

function itemEventData(item: KnowledgeStoreItem) {
  return { ...toItemWire(item), knowledge_store_id: item.knowledgeStoreId };
}

/**
 * Deletes a live store with all its items and collections (each with its `.deleted` event), ends
 * their open work and the questions and searches waiting on the store, and writes the
 * `knowledge_store.delete` job. 404 for a missing or deleted store (of another tenant, too).
 */
export async function deleteKnowledgeStoreRecord(tx: Db, tenantId: string, storeId: string, now = new Date()): Promise<{ store: KnowledgeStoreWithCount; job: Job }> {
  // Rows before jobs, as every transition locks them (a resource, then its job): no deadlock with a
  // step that is finishing one of these items or collections at this moment.
  const locked = await tx.knowledgeStore.updateMany({ where: { id: storeId, tenantId, deletedAt: null }, data: { deletedAt: now, version: { increment: 1 } } });
  if (locked.count === 0) throw notFound("knowledge_store", storeId, "knowledge_stores");
  const items = (await tx.knowledgeStoreItem.findMany({ where: { knowledgeStoreId: storeId, deletedAt: null }, select: { id: true }, orderBy: { id: "asc" } })).map((i) => i.id);
  if (items.length > 0) await tx.knowledgeStoreItem.updateMany({ where: { id: { in: items } }, data: { deletedAt: now, version: { increment: 1 } } });
  const collections = (await tx.itemCollection.findMany({ where: { knowledgeStoreId: storeId, deletedAt: null }, select: { id: true }, orderBy: { id: "asc" } })).map((c) => c.id);
  if (collections.length > 0) await tx.itemCollection.updateMany({ where: { id: { in: collections } }, data: { deletedAt: now, version: { increment: 1 } } });
  const searches = await tx.knowledgeStoreSearch.findMany({ where: { knowledgeStoreId: storeId, status: "queued" }, select: { id: true } });
  const responses = await tx.response.findMany({ where: { knowledgeStoreId: storeId, status: { in: ["queued", "in_progress"] } }, select: { id: true } });
  await endJobsOfDeleted(tx, [storeId, ...items, ...collections, ...searches.map((s) => s.id), ...responses.map((r) => r.id)], `The knowledge store ${storeId}`);

  // One job deletes the store upstream, and the platform deletes its items and collections with it.
  const job = await createJob(tx, { tenantId, type: "knowledge_store.delete", resourceId: storeId, resourceStatus: "deleted" });
  if (items.length > 0) {
    await tx.knowledgeStoreItem.updateMany({ where: { id: { in: items } }, data: { jobId: job.id } });
    for (const item of await tx.knowledgeStoreItem.findMany({ where: { id: { in: items } }, orderBy: { id: "asc" } })) {
      await appendEvent(tx, { type: "knowledge_store_item.deleted", tenantId, resourceId: item.id, sequence: item.version, jobId: job.id, data: itemEventData(item) });
    }
  }
  if (collections.length > 0) {
    await tx.itemCollection.updateMany({ where: { id: { in: collections } }, data: { jobId: job.id } });
    for (const collection of await tx.itemCollection.findMany({ where: { id: { in: collections } }, include: withMemberCount, orderBy: { id: "asc" } })) {
      await appendEvent(tx, { type: "knowledge_store_item_collection.deleted", tenantId, resourceId: collection.id, sequence: collection.version, jobId: job.id, data: toCollectionWire(collection) });
    }
  }
  const store = await tx.knowledgeStore.update({ where: { id: storeId }, data: { jobId: job.id }, include: withItemCount });
  await appendEvent(tx, { type: "knowledge_store.deleted", tenantId, resourceId: storeId, sequence: store.version, jobId: job.id, data: toKnowledgeStoreWire(store) });
  return { store, job };
}

/**
 * Deletes a live item of a live store: its `.deleted` event, its indexing (or cleanup) ended, the
 * item out of its collections, and the `item.delete` job. 404 when the item or its store is
 * missing or deleted.
 */
export async function deleteItemRecord(tx: Db, tenantId: string, storeId: string, itemId: string, now = new Date()): Promise<{ item: KnowledgeStoreItem; job: Job }> {
  const locked = await tx.knowledgeStoreItem.updateMany({
    where: { id: itemId, knowledgeStoreId: storeId, tenantId, deletedAt: null, knowledgeStore: { deletedAt: null } },
    data: { deletedAt: now, version: { increment: 1 } },
  });
  if (locked.count === 0) {
    const store = await tx.knowledgeStore.findFirst({ where: { id: storeId, tenantId, deletedAt: null }, select: { id: true } });
    throw store ? notFound("knowledge_store_item", itemId, "knowledge_store_items") : notFound("knowledge_store", storeId, "knowledge_stores");
  }
  await endJobsOfDeleted(tx, [itemId], `The item ${itemId}`);
  const job = await createJob(tx, { tenantId, type: "item.delete", resourceId: itemId, resourceStatus: "deleted" });
  const item = await tx.knowledgeStoreItem.update({ where: { id: itemId }, data: { jobId: job.id } });
  await appendEvent(tx, { type: "knowledge_store_item.deleted", tenantId, resourceId: itemId, sequence: item.version, jobId: job.id, data: itemEventData(item) });
  // Only an indexed item was (or is about to be) pushed into the platform's copies of its collections.
  await leaveCollections(tx, itemId, item.status === "ready");
  return { item, job };
}

/** Deletes a live collection (its items stay in the store), ends its sync, and writes the `collection.delete` job. */
export async function deleteCollectionRecord(tx: Db, tenantId: string, storeId: string, collectionId: string, now = new Date()): Promise<{ collection: CollectionWithCount; job: Job }> {
  const locked = await tx.itemCollection.updateMany({
    where: { id: collectionId, knowledgeStoreId: storeId, tenantId, deletedAt: null, knowledgeStore: { deletedAt: null } },
    data: { deletedAt: now, version: { increment: 1 } },
  });
  if (locked.count === 0) {
    const store = await tx.knowledgeStore.findFirst({ where: { id: storeId, tenantId, deletedAt: null }, select: { id: true } });
    throw store ? notFound("knowledge_store_item_collection", collectionId, "item collections") : notFound("knowledge_store", storeId, "knowledge_stores");
  }
  await endJobsOfDeleted(tx, [collectionId], `The collection ${collectionId}`);
  const job = await createJob(tx, { tenantId, type: "collection.delete", resourceId: collectionId, resourceStatus: "deleted" });
  const collection = await tx.itemCollection.update({ where: { id: collectionId }, data: { jobId: job.id }, include: withMemberCount });
  await appendEvent(tx, { type: "knowledge_store_item_collection.deleted", tenantId, resourceId: collectionId, sequence: collection.version, jobId: job.id, data: toCollectionWire(collection) });
  return { collection, job };
}
