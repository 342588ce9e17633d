import { AppError, invalidParameter, notFound } from "@reelay/contract";
import { Prisma, type Db, type Job } from "@reelay/db";
import { toCollectionWire, withMemberCount, type CollectionWithCount } from "../wire/collection-wire.ts";
import { changeJob, createJob } from "./jobs.ts";
import { ensureOpenJob, lockVersion } from "./open-job.ts";
import { appendEvent } from "./outbox.ts";
import type { JobEffect } from "./resource-job.ts";
import { conditionally } from "./stale-state.ts";

/*
 * An item collection is Reelay's; the platform holds a copy that one job per collection at a time,
 * `collection.sync`, brings up to date. `sync_status` says whether the copy has caught up:
 * `pending` from every change that the platform must see (a new name, a member added or removed,
 * a member that finished indexing: only indexed items are pushed) until a sync confirms, under
 * the collection's row lock, that it pushed the latest version (`synced`). A question that selects
 * the collection waits for `synced`, so it never sees a copy that misses an indexed member.
 */

const live = { deletedAt: null, knowledgeStore: { deletedAt: null } } as const;

const collectionNotFound = (id: string) => notFound("knowledge_store_item_collection", id, "item collections");

/** Locks a live store of the tenant (collection names are unique per store), or answers 404. */
async function lockStore(tx: Db, tenantId: string, storeId: string): Promise<void> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT "id" FROM "knowledge_stores" WHERE "id" = ${storeId} AND "tenant_id" = ${tenantId} AND "deleted_at" IS NULL FOR NO KEY UPDATE`;
  if (rows.length === 0) throw notFound("knowledge_store", storeId, "knowledge_stores");
}

/** Names are unique among a store's live collections, like the platform's. */
async function assertNameFree(tx: Db, storeId: string, name: string, except?: string): Promise<void> {
  const taken = await tx.itemCollection.findFirst({ where: { knowledgeStoreId: storeId, name, deletedAt: null, ...(except ? { id: { not: except } } : {}) }, select: { id: true } });
  if (!taken) return;
  const message = `knowledge store ${storeId} already has an item collection named "${name}" (${taken.id}).`;
  throw new AppError({ code: "knowledge_store_item_collection/name_taken", platformCode: "parameter_invalid", status: 400, message: `The name parameter is invalid: ${message}`, errors: [{ field: "name", message }] });
}

/** Locks a live collection of the tenant's live store, or answers 404 (the store's 404 first). */
async function lockCollection(tx: Db, tenantId: string, storeId: string, collectionId: string): Promise<void> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT c."id" FROM "item_collections" c JOIN "knowledge_stores" s ON s."id" = c."knowledge_store_id"
    WHERE c."id" = ${collectionId} AND c."knowledge_store_id" = ${storeId} AND c."tenant_id" = ${tenantId}
      AND c."deleted_at" IS NULL AND s."deleted_at" IS NULL
    FOR NO KEY UPDATE OF c`;
  if (rows.length > 0) return;
  const store = await tx.knowledgeStore.findFirst({ where: { id: storeId, tenantId, deletedAt: null }, select: { id: true } });
  throw store ? collectionNotFound(collectionId) : notFound("knowledge_store", storeId, "knowledge_stores");
}

/**
 * Records a change to a collection whose row the caller has just updated (version bumped): its
 * `.updated` event, and when the platform must see it, `sync_status: pending` and the open sync job
 * (a new one unless one is open: it pushes the latest state).
 */
async function recordChange(tx: Db, collectionId: string, push: boolean): Promise<{ collection: CollectionWithCount; job: Job | undefined }> {
  let job: Job | undefined;
  if (push) {
    const current = await tx.itemCollection.update({ where: { id: collectionId }, data: { syncStatus: "pending", errorMessage: null } });
    job = (await ensureOpenJob(tx, { tenantId: current.tenantId, type: "collection.sync", resourceId: collectionId, resourceStatus: "pending" })).job;
  }
  const collection = await tx.itemCollection.update({ where: { id: collectionId }, data: job ? { jobId: job.id } : {}, include: withMemberCount });
  await appendEvent(tx, {
    type: "knowledge_store_item_collection.updated",
    tenantId: collection.tenantId,
    resourceId: collection.id,
    sequence: collection.version,
    jobId: collection.jobId,
    data: toCollectionWire(collection),
  });
  return { collection, job };
}

/** A new collection (`pending` on the platform), with its sync job (which creates it there) and their events. */
export async function createCollectionRecord(
  tx: Db,
  data: { id: string; tenantId: string; knowledgeStoreId: string; name: string; description: string | null; metadata?: Record<string, string> | undefined },
): Promise<{ collection: CollectionWithCount; job: Job }> {
  await lockStore(tx, data.tenantId, data.knowledgeStoreId);
  await assertNameFree(tx, data.knowledgeStoreId, data.name);
  const job = await createJob(tx, { tenantId: data.tenantId, type: "collection.sync", resourceId: data.id, resourceStatus: "pending" });
  const now = new Date();
  const collection = await tx.itemCollection.create({
    data: { ...data, ...(data.metadata ? { metadata: data.metadata } : { metadata: Prisma.DbNull }), jobId: job.id, version: 1, createdAt: now, updatedAt: now },
    include: withMemberCount,
  });
  await appendEvent(tx, { type: "knowledge_store_item_collection.created", tenantId: data.tenantId, resourceId: collection.id, sequence: 1, jobId: job.id, data: toCollectionWire(collection) });
  return { collection, job };
}

export interface CollectionChanges {
  name?: string | undefined;
  description?: string | undefined;
  /** Replaces the stored map in full; `{}` clears it. */
  metadata?: Record<string, string> | undefined;
}

/** A collection's name, description or metadata change; the sync job pushes them. */
export async function updateCollectionRecord(tx: Db, tenantId: string, storeId: string, collectionId: string, changes: CollectionChanges): Promise<{ collection: CollectionWithCount; job: Job | undefined }> {
  if (changes.name !== undefined) {
    await lockStore(tx, tenantId, storeId);
    await assertNameFree(tx, storeId, changes.name, collectionId);
  }
  await lockCollection(tx, tenantId, storeId, collectionId);
  await tx.itemCollection.update({
    where: { id: collectionId },
    data: {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.metadata !== undefined ? { metadata: changes.metadata } : {}),
      version: { increment: 1 },
      updatedAt: new Date(),
    },
  });
  return recordChange(tx, collectionId, true);
}

/**
 * Adds items (of the collection's store, live) to a collection, idempotently, in the order given:
 * every id must be one, or nothing changes (400, like the platform). Only a change is an event;
 * only an indexed new member makes the platform's copy fall behind (the others are pushed when
 * they finish indexing).
 */
export async function addCollectionMembers(tx: Db, tenantId: string, storeId: string, collectionId: string, itemIds: string[]): Promise<{ collection: CollectionWithCount; job: Job | undefined }> {
  await lockCollection(tx, tenantId, storeId, collectionId);
  const wanted = [...new Set(itemIds)];
  const items = await tx.knowledgeStoreItem.findMany({ where: { id: { in: wanted }, knowledgeStoreId: storeId, tenantId, deletedAt: null }, select: { id: true, status: true } });
  const found = new Map(items.map((item) => [item.id, item]));
  const unknown = wanted.filter((id) => !found.has(id));
  if (unknown.length > 0) {
    const message = `${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ", ..." : ""} ${unknown.length === 1 ? "is not an item" : "are not items"} of knowledge store ${storeId}.`;
    throw invalidParameter("item_ids", message, "knowledge_store_item_collection");
  }
  const already = new Set((await tx.itemCollectionMember.findMany({ where: { collectionId, itemId: { in: wanted } }, select: { itemId: true } })).map((m) => m.itemId));
  const added = wanted.filter((id) => !already.has(id));
  if (added.length === 0) {
    return { collection: await tx.itemCollection.findUniqueOrThrow({ where: { id: collectionId }, include: withMemberCount }), job: undefined };
  }
  // `created_at` carries the order members were added in (one call's ids keep theirs), which is the
  // order the platform lists them in: each new member one millisecond after the previous.
  const last = await tx.itemCollectionMember.findFirst({ where: { collectionId }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
  const start = Math.max(Date.now(), (last?.createdAt.getTime() ?? 0) + 1);
  await tx.itemCollectionMember.createMany({ data: added.map((itemId, i) => ({ collectionId, itemId, createdAt: new Date(start + i) })) });
  await tx.itemCollection.update({ where: { id: collectionId }, data: { version: { increment: 1 }, updatedAt: new Date() } });
  return recordChange(tx, collectionId, added.some((id) => found.get(id)?.status === "ready"));
}

/** Removes items from a collection; ids that are not members are ignored. The items stay in the store. */
export async function removeCollectionMembers(tx: Db, tenantId: string, storeId: string, collectionId: string, itemIds: string[]): Promise<{ collection: CollectionWithCount; job: Job | undefined }> {
  await lockCollection(tx, tenantId, storeId, collectionId);
  const members = await tx.itemCollectionMember.findMany({ where: { collectionId, itemId: { in: [...new Set(itemIds)] } }, select: { itemId: true, item: { select: { status: true } } } });
  if (members.length === 0) return { collection: await tx.itemCollection.findUniqueOrThrow({ where: { id: collectionId }, include: withMemberCount }), job: undefined };
  await tx.itemCollectionMember.deleteMany({ where: { collectionId, itemId: { in: members.map((m) => m.itemId) } } });
  await tx.itemCollection.update({ where: { id: collectionId }, data: { version: { increment: 1 }, updatedAt: new Date() } });
  return recordChange(tx, collectionId, members.some((m) => m.item.status === "ready"));
}

/**
 * An item finished indexing: every live collection it is a member of is behind the platform's copy
 * until a sync pushes it, and says so in the same transaction, so a question selecting the
 * collection waits for that push instead of missing the item.
 */
export async function markCollectionsBehind(tx: Db, itemId: string): Promise<void> {
  const collections = await tx.itemCollection.findMany({ where: { ...live, members: { some: { itemId } } }, select: { id: true }, orderBy: { id: "asc" } });
  for (const { id } of collections) {
    await tx.itemCollection.update({ where: { id }, data: { version: { increment: 1 } } });
    await recordChange(tx, id, true);
  }
}

/** A deleted item leaves its collections (each a change; the platform's copies drop it with the item). */
export async function leaveCollections(tx: Db, itemId: string, wasIndexed: boolean): Promise<void> {
  const collections = await tx.itemCollection.findMany({ where: { ...live, members: { some: { itemId } } }, select: { id: true }, orderBy: { id: "asc" } });
  await tx.itemCollectionMember.deleteMany({ where: { itemId } });
  for (const { id } of collections) {
    await tx.itemCollection.update({ where: { id }, data: { version: { increment: 1 }, updatedAt: new Date() } });
    await recordChange(tx, id, wasIndexed);
  }
}

/**
 * Ends a sync whose push is still the collection's state, checked under the collection's row lock
 * (a change committed meanwhile left its push to this job): `synced`, with its event. `current:
 * false` (nothing written) means the collection moved on: push again. The platform's id is recorded
 * as soon as it is known, by the job, as bookkeeping (clients never see it).
 */
export async function finishCollectionSync(tx: Db, collectionId: string, pushedVersion: number, job: JobEffect): Promise<{ job: Job | undefined; current: boolean }> {
  const version = await lockVersion(tx, "item_collections", collectionId);
  if (version !== pushedVersion) return { job: undefined, current: false };
  const collection = await conditionally("knowledge_store_item_collection", collectionId, () =>
    tx.itemCollection.update({ where: { id: collectionId, deletedAt: null }, data: { syncStatus: "synced", errorMessage: null, version: { increment: 1 } }, include: withMemberCount }),
  );
  await appendEvent(tx, { type: "knowledge_store_item_collection.synced", tenantId: collection.tenantId, resourceId: collection.id, sequence: collection.version, jobId: collection.jobId, data: toCollectionWire(collection) });
  return { job: await changeJob(tx, job.job, { ...job.change, resourceStatus: "synced" }), current: true };
}

/** A pending collection could not be brought up to date on the platform (the next change tries again). */
export async function failCollection(tx: Db, collectionId: string, errorMessage: string, job?: JobEffect): Promise<{ job: Job | undefined }> {
  const collection = await conditionally("knowledge_store_item_collection", collectionId, () =>
    tx.itemCollection.update({ where: { id: collectionId, deletedAt: null, syncStatus: "pending" }, data: { syncStatus: "failed", errorMessage, version: { increment: 1 } }, include: withMemberCount }),
  );
  await appendEvent(tx, { type: "knowledge_store_item_collection.failed", tenantId: collection.tenantId, resourceId: collection.id, sequence: collection.version, jobId: collection.jobId, data: toCollectionWire(collection) });
  return { job: job ? await changeJob(tx, job.job, { ...job.change, resourceStatus: "failed" }) : undefined };
}
