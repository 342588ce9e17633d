import type { JobError, JobStatus } from "@reelay/contract";
import type { Asset, Db, Job } from "@reelay/db";
import { toAssetWire } from "../wire/asset-wire.ts";
import { endJob } from "./end-job.ts";
import { changeItemStatus } from "./items.ts";
import { createJob } from "./jobs.ts";
import { appendEvent } from "./outbox.ts";
import { conditionally } from "./stale-state.ts";

/** Why the work on a deleted asset (its items', its own jobs') ended. */
export const ASSET_DELETED: JobError = { code: "asset_deleted", message: "the asset was deleted", retryable: false };

const open: JobStatus[] = ["queued", "running", "waiting_remote"];

/**
 * Deletes an asset (soft: `deleted_at`, gone from every answer). Items not yet indexed end
 * `failed` with their jobs cancelled (the platform would fail them too); indexed ones keep what
 * they extracted. The asset's own open jobs are cancelled (a processing asset ends `failed`
 * first). Then `asset.deleted`, and an `asset.delete` job that removes the platform's copy — only
 * when there may be one, and not when an `asset.cleanup` (after an ingest that failed by itself)
 * removes or removed it: one job deletes the copy, never two. The caller checks who uses the asset
 * (the 409) and must hold the asset row locked (`FOR UPDATE`), so no item is added meanwhile.
 */
export async function deleteAssetRecord(tx: Db, assetId: string, now = new Date()): Promise<{ asset: Asset; job: Job | undefined; cancelled: Job[] }> {
  const cancelled: Job[] = [];
  const unindexed = await tx.knowledgeStoreItem.findMany({ where: { assetId, deletedAt: null, status: { in: ["queued", "pending", "processing"] } }, select: { id: true } });
  for (const item of unindexed) {
    const job = await tx.job.findFirst({ where: { type: "item.index", resourceId: item.id, status: { in: open } } });
    if (job) cancelled.push(await endJob(tx, job, { status: "cancelled", error: ASSET_DELETED }));
    else await changeItemStatus(tx, item.id, { status: "failed", errorMessage: ASSET_DELETED.message });
  }

  // Ingest (processing, or waiting for renditions), metadata sync, transcription: the delete job
  // removes what the ingest may have made upstream, so the cancelled ingest writes no cleanup.
  const ownJobs = await tx.job.findMany({ where: { resourceId: assetId, status: { in: open }, type: { not: "asset.cleanup" } }, orderBy: { createdAt: "asc" } });
  for (const job of ownJobs) cancelled.push(await endJob(tx, job, { status: "cancelled", error: ASSET_DELETED, cleanUp: false }));

  const before = await tx.asset.findUniqueOrThrow({ where: { id: assetId } });
  const ingest = await tx.job.findFirst({ where: { type: "asset.ingest", resourceId: assetId }, orderBy: { createdAt: "desc" }, select: { createSentAt: true } });
  const mayBeUpstream = Boolean(before.upstreamId || before.upstreamUpload || ingest?.createSentAt);
  const cleanedUp = await tx.job.count({ where: { type: "asset.cleanup", resourceId: assetId, status: { in: [...open, "succeeded"] } } });
  const job = mayBeUpstream && cleanedUp === 0 ? await createJob(tx, { tenantId: before.tenantId, type: "asset.delete", resourceId: assetId, resourceStatus: "deleted", now }) : undefined;

  const asset = await conditionally("asset", assetId, () => tx.asset.update({ where: { id: assetId, deletedAt: null }, data: { deletedAt: now, version: { increment: 1 } } }));
  const jobId = job?.id ?? asset.jobId;
  await appendEvent(tx, { type: "asset.deleted", tenantId: asset.tenantId, resourceId: asset.id, sequence: asset.version, jobId, data: { ...toAssetWire(asset), job_id: jobId } });
  return { asset, job, cancelled };
}
