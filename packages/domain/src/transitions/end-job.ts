import type { JobError } from "@reelay/contract";
import type { Db, Job } from "@reelay/db";
import { isJobType, type JobType } from "@reelay/jobs";
import { finishAsset } from "./assets.ts";
import { changeTranscription, isOpenTranscription } from "./asset-transcriptions.ts";
import { changeItemStatus } from "./items.ts";
import { changeJob, type JobChange } from "./jobs.ts";
import { finishKnowledgeStore } from "./knowledge-stores.ts";
import { finishResponse } from "./responses.ts";
import { failCollection } from "./collections.ts";
import { finishSearch } from "./searches.ts";
import type { JobEffect } from "./resource-job.ts";

export interface JobEnd {
  status: "failed" | "cancelled";
  error: JobError;
  /** The HTTP status a caller still waiting on the resource is answered with (responses). Default 502. */
  httpStatus?: number;
  /** Whether the job's cleanup job is written (see JobChange.cleanUp). Default true. */
  cleanUp?: boolean;
}

/** Whether each job type's resource is still open (not yet ready/failed), read in the transaction. */
const resourceIsOpen: { [T in JobType]: (tx: Db, id: string) => Promise<boolean> } = {
  "asset.ingest": async (tx, id) => (await tx.asset.findUnique({ where: { id }, select: { status: true } }))?.status === "processing",
  "knowledge_store.create": async (tx, id) => (await tx.knowledgeStore.findUnique({ where: { id }, select: { syncStatus: true } }))?.syncStatus === "pending",
  "item.index": async (tx, id) => ["queued", "pending", "processing"].includes((await tx.knowledgeStoreItem.findUnique({ where: { id }, select: { status: true } }))?.status ?? ""),
  "response.create": async (tx, id) => ["queued", "in_progress"].includes((await tx.response.findUnique({ where: { id }, select: { status: true } }))?.status ?? ""),
  // A cleanup acts on a resource that has already failed.
  "asset.cleanup": async () => false,
  "item.cleanup": async () => false,
  // The asset is already deleted, and its metadata is the tenant's, whatever the platform holds.
  "asset.delete": async () => false,
  "asset.sync_metadata": async () => false,
  "asset.transcribe": async (tx, id) => isOpenTranscription((await tx.assetTranscription.findUnique({ where: { assetId: id }, select: { status: true } }))?.status),
  // An update's or a delete's failure leaves the resource as the tenant made it (the job says why).
  "knowledge_store.update": async () => false,
  "knowledge_store.watch_items": async () => false,
  "knowledge_store.delete": async () => false,
  "item.delete": async () => false,
  "collection.sync": async (tx, id) => {
    const collection = await tx.itemCollection.findUnique({ where: { id }, select: { syncStatus: true, deletedAt: true } });
    return collection?.syncStatus === "pending" && collection.deletedAt === null;
  },
  "collection.delete": async () => false,
  "search.run": async (tx, id) => (await tx.knowledgeStoreSearch.findUnique({ where: { id }, select: { status: true } }))?.status === "queued",
};

/** Fails each job type's resource with the job's reason, ending the job in the same transaction. */
const failResource: { [T in JobType]: (tx: Db, id: string, end: JobEnd, job: JobEffect) => Promise<{ job: Job | undefined }> } = {
  "asset.ingest": (tx, id, end, job) => finishAsset(tx, id, { status: "failed", errorMessage: end.error.message }, job),
  "knowledge_store.create": (tx, id, end, job) => finishKnowledgeStore(tx, id, { syncStatus: "failed", errorMessage: end.error.message }, job),
  "item.index": (tx, id, end, job) => changeItemStatus(tx, id, { status: "failed", errorMessage: end.error.message }, job),
  "response.create": (tx, id, end, job) => finishResponse(tx, id, { error: { status: end.httpStatus ?? 502, code: end.error.code, message: end.error.message } }, job),
  "asset.cleanup": async () => ({ job: undefined }),
  "item.cleanup": async () => ({ job: undefined }),
  "asset.delete": async () => ({ job: undefined }),
  "asset.sync_metadata": async () => ({ job: undefined }),
  "asset.transcribe": (tx, id, end, job) => changeTranscription(tx, id, { status: "failed", errorMessage: end.error.message }, job),
  "knowledge_store.update": async () => ({ job: undefined }),
  "knowledge_store.watch_items": async () => ({ job: undefined }),
  "knowledge_store.delete": async () => ({ job: undefined }),
  "item.delete": async () => ({ job: undefined }),
  "collection.sync": (tx, id, end, job) => failCollection(tx, id, end.error.message, job),
  "collection.delete": async () => ({ job: undefined }),
  "search.run": (tx, id, end, job) => finishSearch(tx, id, { error: { status: end.httpStatus ?? 502, code: end.error.code, message: end.error.message } }, job),
};

/**
 * Ends a job that did not succeed: its resource becomes `failed` with the job's reason (unless it
 * already ended by itself), and the job `failed` or `cancelled`, with their events, in `tx`.
 */
export async function endJob(tx: Db, job: Job, end: JobEnd): Promise<Job> {
  const change: JobChange = { status: end.status, stage: end.status, lastError: end.error, ...(end.cleanUp === false ? { cleanUp: false } : {}) };
  if (isJobType(job.type) && (await resourceIsOpen[job.type](tx, job.resourceId))) {
    const ended = await failResource[job.type](tx, job.resourceId, end, { job, change });
    if (ended.job) return ended.job;
  }
  // The resource ended by itself (an asset ready while its ingest waits for the renditions): what
  // the job made upstream is in use, not left over, so there is nothing to clean up.
  return changeJob(tx, job, { ...change, cleanUp: false });
}
