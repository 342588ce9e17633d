import { z } from "zod";
import type { ResourceType } from "@reelay/contract";

/**
 * The one typed job catalog. A job carries ids only; its handler loads the rows it needs.
 * `failureLimit`/`retry` govern failed steps (network errors, 5xx), counted consecutively and
 * forgiven by a step that works; "still processing upstream" is not a failure: it is a delayed
 * step bounded by `deadlineMs`.
 */
export interface JobDefinition<P extends z.ZodType> {
  payload: P;
  /** The kind of resource the job acts on (its resource id names one of these). */
  resource: ResourceType;
  /** The domain id the BullMQ job id derives from, so enqueueing twice is harmless. */
  resourceId: (payload: z.infer<P>) => string;
  /**
   * Consecutive failed steps before the job gives up. Once the platform holds the object, the
   * job keeps polling through errors until its deadline instead (the platform may well finish).
   */
  failureLimit: number;
  /** Delay before retrying a failed step: `initialMs` doubling up to `maxMs`. */
  retry: { initialMs: number; maxMs: number };
  /** Total time the operation may take before it is failed with a timeout reason. */
  deadlineMs: number;
}

const define = <P extends z.ZodType>(definition: JobDefinition<P>) => definition;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const jobCatalog = {
  /** Create the asset upstream (URL or uploaded file) and poll it to ready/failed. */
  "asset.ingest": define({
    resource: "asset",
    payload: z.object({ assetId: z.string() }),
    resourceId: (p) => p.assetId,
    failureLimit: 8,
    retry: { initialMs: 2_000, maxMs: 120_000 },
    deadlineMs: 2 * HOUR,
  }),
  /** Create the knowledge store upstream. */
  "knowledge_store.create": define({
    resource: "knowledge_store",
    payload: z.object({ knowledgeStoreId: z.string() }),
    resourceId: (p) => p.knowledgeStoreId,
    failureLimit: 8,
    retry: { initialMs: 2_000, maxMs: 120_000 },
    deadlineMs: 1 * HOUR,
  }),
  /** Wait for the asset and store upstream, create the item upstream, poll it to ready/failed. */
  "item.index": define({
    resource: "knowledge_store_item",
    payload: z.object({ itemId: z.string() }),
    resourceId: (p) => p.itemId,
    failureLimit: 8,
    retry: { initialMs: 2_000, maxMs: 120_000 },
    deadlineMs: 6 * HOUR,
  }),
  /**
   * Delete the platform's copy of an asset whose ingest failed or was cancelled (and the waiting
   * upload, if any), so failed work leaves nothing behind upstream or on disk.
   */
  "asset.cleanup": define({
    resource: "asset",
    payload: z.object({ assetId: z.string() }),
    resourceId: (p) => p.assetId,
    failureLimit: 8,
    retry: { initialMs: 5_000, maxMs: 300_000 },
    deadlineMs: 24 * HOUR,
  }),
  /** Delete the platform's copy of an item whose indexing failed or was cancelled. */
  "item.cleanup": define({
    resource: "knowledge_store_item",
    payload: z.object({ itemId: z.string() }),
    resourceId: (p) => p.itemId,
    failureLimit: 8,
    retry: { initialMs: 5_000, maxMs: 300_000 },
    deadlineMs: 24 * HOUR,
  }),
  /**
   * Delete the platform's copy of an asset the tenant deleted (with `force` when items that stay
   * still use it), including one a crashed ingest created without learning its id.
   */
  "asset.delete": define({
    resource: "asset",
    payload: z.object({ assetId: z.string() }),
    resourceId: (p) => p.assetId,
    failureLimit: 8,
    retry: { initialMs: 5_000, maxMs: 300_000 },
    deadlineMs: 24 * HOUR,
  }),
  /** Push the asset's user metadata (the latest, with Reelay's stamp) to the platform's copy. */
  "asset.sync_metadata": define({
    resource: "asset",
    payload: z.object({ assetId: z.string() }),
    resourceId: (p) => p.assetId,
    failureLimit: 8,
    retry: { initialMs: 2_000, maxMs: 120_000 },
    deadlineMs: 6 * HOUR,
  }),
  /** Ask the platform for the asset's transcription (every segmentation) and keep it once ready. */
  "asset.transcribe": define({
    resource: "asset",
    payload: z.object({ assetId: z.string() }),
    resourceId: (p) => p.assetId,
    failureLimit: 8,
    retry: { initialMs: 2_000, maxMs: 120_000 },
    deadlineMs: 2 * HOUR,
  }),
  /** Ask the platform and store the answer. */
  "response.create": define({
    resource: "response",
    payload: z.object({ responseId: z.string() }),
    resourceId: (p) => p.responseId,
    failureLimit: 5,
    retry: { initialMs: 1_000, maxMs: 30_000 },
    deadlineMs: 10 * MINUTE,
  }),
  /**
   * Watch a store's items on the platform while any is being indexed: one list call (the items
   * changed since the last look, newest first) serves every item of the store, instead of a GET
   * per item. Ends when nothing is left to watch; the next item created upstream starts another.
   */
  "knowledge_store.watch_items": define({
    resource: "knowledge_store",
    payload: z.object({ knowledgeStoreId: z.string() }),
    resourceId: (p) => p.knowledgeStoreId,
    // It only looks: like any wait on the platform it keeps looking through errors until its
    // deadline (failing would leave its items to their slow safety polls).
    failureLimit: Number.POSITIVE_INFINITY,
    retry: { initialMs: 1_000, maxMs: 30_000 },
    deadlineMs: 24 * HOUR,
  }),
  /** Push the store's name, description and metadata (the latest, with Reelay's stamp) to the platform's copy. */
  "knowledge_store.update": define({
    resource: "knowledge_store",
    payload: z.object({ knowledgeStoreId: z.string() }),
    resourceId: (p) => p.knowledgeStoreId,
    failureLimit: 8,
    retry: { initialMs: 2_000, maxMs: 120_000 },
    deadlineMs: 2 * HOUR,
  }),
  /** Delete the platform's copy of a deleted store (its items and collections go with it), found by its stamp if need be. */
  "knowledge_store.delete": define({
    resource: "knowledge_store",
    payload: z.object({ knowledgeStoreId: z.string() }),
    resourceId: (p) => p.knowledgeStoreId,
    failureLimit: 8,
    retry: { initialMs: 5_000, maxMs: 300_000 },
    deadlineMs: 24 * HOUR,
  }),
  /** Delete the platform's copy of a deleted item, found by its stamp if a create was in flight. */
  "item.delete": define({
    resource: "knowledge_store_item",
    payload: z.object({ itemId: z.string() }),
    resourceId: (p) => p.itemId,
    failureLimit: 8,
    retry: { initialMs: 5_000, maxMs: 300_000 },
    deadlineMs: 24 * HOUR,
  }),
  /**
   * Bring the platform's copy of a collection up to date: create it once (stamped), then push its
   * name, description and metadata and the membership diff of its indexed members.
   */
  "collection.sync": define({
    resource: "knowledge_store_item_collection",
    payload: z.object({ collectionId: z.string() }),
    resourceId: (p) => p.collectionId,
    failureLimit: 8,
    retry: { initialMs: 2_000, maxMs: 120_000 },
    deadlineMs: 2 * HOUR,
  }),
  /** Delete the platform's copy of a deleted collection (its items stay). */
  "collection.delete": define({
    resource: "knowledge_store_item_collection",
    payload: z.object({ collectionId: z.string() }),
    resourceId: (p) => p.collectionId,
    failureLimit: 8,
    retry: { initialMs: 5_000, maxMs: 300_000 },
    deadlineMs: 24 * HOUR,
  }),
  /** Ask the platform one search of a store and keep its results, item ids mapped to Reelay's. */
  "search.run": define({
    resource: "knowledge_store_search",
    payload: z.object({ searchId: z.string() }),
    resourceId: (p) => p.searchId,
    failureLimit: 4,
    retry: { initialMs: 1_000, maxMs: 10_000 },
    deadlineMs: 5 * MINUTE,
  }),
} as const;

export type JobType = keyof typeof jobCatalog;
export type JobPayload<T extends JobType> = z.infer<(typeof jobCatalog)[T]["payload"]>;
export const jobTypes = Object.keys(jobCatalog) as JobType[];

export function isJobType(name: string): name is JobType {
  return Object.hasOwn(jobCatalog, name);
}

/**
 * BullMQ ids may not contain ':'; ours are `<type>.<job row id>`, so dispatching a job twice is
 * harmless, and a second job of the same kind on a resource (a later update) is a new one.
 */
export function bullJobId(type: JobType, jobId: string): string {
  return `${type}.${jobId}`;
}

/** What a BullMQ job carries: the id of its job row, nothing else (the row names the resource). */
export const QueuedJob = z.object({ jobId: z.string().min(1) });

/** What a handler is given for a job row: its resource id, named for the resource. */
export function payloadFor<T extends JobType>(type: T, resourceId: string): JobPayload<T> {
  const payloads: { [K in JobType]: (id: string) => JobPayload<K> } = {
    "asset.ingest": (assetId) => ({ assetId }),
    "knowledge_store.create": (knowledgeStoreId) => ({ knowledgeStoreId }),
    "item.index": (itemId) => ({ itemId }),
    "response.create": (responseId) => ({ responseId }),
    "asset.cleanup": (assetId) => ({ assetId }),
    "item.cleanup": (itemId) => ({ itemId }),
    "knowledge_store.update": (knowledgeStoreId) => ({ knowledgeStoreId }),
    "knowledge_store.watch_items": (knowledgeStoreId) => ({ knowledgeStoreId }),
    "knowledge_store.delete": (knowledgeStoreId) => ({ knowledgeStoreId }),
    "item.delete": (itemId) => ({ itemId }),
    "collection.sync": (collectionId) => ({ collectionId }),
    "collection.delete": (collectionId) => ({ collectionId }),
    "search.run": (searchId) => ({ searchId }),
    "asset.delete": (assetId) => ({ assetId }),
    "asset.sync_metadata": (assetId) => ({ assetId }),
    "asset.transcribe": (assetId) => ({ assetId }),
  };
  return payloads[type](resourceId) as JobPayload<T>;
}

/** What a job that fails or is cancelled leaves to clean up: the job that does it. */
export const cleanupOf: Partial<Record<JobType, JobType>> = { "asset.ingest": "asset.cleanup", "item.index": "item.cleanup" };
