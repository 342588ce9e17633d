import path from "node:path";
import type { Asset, Db, Job, MultipartUpload, Prisma } from "@reelay/db";
import { toAssetWire } from "../wire/asset-wire.ts";
import { finishAsset } from "./assets.ts";
import { createJob } from "./jobs.ts";
import { appendEvent } from "./outbox.ts";
import { conditionally } from "./stale-state.ts";

/**
 * Where a multipart upload's chunks wait in the blob directory (shared by the API, which receives
 * them, and the worker, which joins them): one directory per upload, one file per chunk named
 * after its index and ETag, so a chunk PUT again with other bytes never overwrites the file a
 * report may already have accepted.
 */
export function multipartChunkDir(blobDir: string, uploadId: string): string {
  return path.join(blobDir, "multipart", uploadId);
}

export function multipartChunkFile(blobDir: string, uploadId: string, chunkIndex: number, etag: string): string {
  return path.join(multipartChunkDir(blobDir, uploadId), `${chunkIndex}.${etag}`);
}

/** Why a multipart upload ended without completing. */
export type MultipartUploadEnd = "expired" | "failed";

/**
 * A new multipart upload and the asset it reserves: the asset exists from now on, `processing`
 * (the platform's meaning of an unfinished upload), with `asset.created`. It has no job yet: the
 * ingest starts once every chunk is reported (completeMultipartUpload), so the job's deadline
 * counts from then, not from a session that may stay open for a day.
 */
export async function openMultipartUpload(
  tx: Db,
  input: {
    asset: Omit<Prisma.AssetUncheckedCreateInput, "jobId" | "version" | "status" | "method">;
    upload: Omit<Prisma.MultipartUploadUncheckedCreateInput, "assetId" | "tenantId" | "status">;
  },
): Promise<{ asset: Asset; upload: MultipartUpload }> {
  const asset = await tx.asset.create({ data: { ...input.asset, method: "multipart", version: 1 } });
  const upload = await tx.multipartUpload.create({ data: { ...input.upload, assetId: asset.id, tenantId: asset.tenantId, status: "active" } });
  await appendEvent(tx, { type: "asset.created", tenantId: asset.tenantId, resourceId: asset.id, sequence: 1, data: toAssetWire(asset) });
  return { asset, upload };
}

/**
 * Every chunk is reported: the session is `completed` (the file is received) and the asset's
 * ingest job is written, which joins the chunks into the asset's blob and sends it upstream.
 * Call with the upload row locked; refused (StaleStateError) once the session is not active.
 */
export async function completeMultipartUpload(tx: Db, upload: MultipartUpload): Promise<{ upload: MultipartUpload; job: Job }> {
  const completed = await conditionally("multipart_upload", upload.id, () => tx.multipartUpload.update({ where: { id: upload.id, status: "active" }, data: { status: "completed" } }));
  const job = await createJob(tx, { tenantId: upload.tenantId, type: "asset.ingest", resourceId: upload.assetId, resourceStatus: "processing" });
  // Not a change of the asset's own state (it stays processing): `job.created` announces the job.
  await conditionally("asset", upload.assetId, () => tx.asset.update({ where: { id: upload.assetId, status: "processing", deletedAt: null }, data: { jobId: job.id } }));
  return { upload: completed, job };
}

/**
 * An active session that can no longer complete: `expired` (its 24 hours passed) or `failed` (its
 * asset was deleted). Its asset, while still processing and not deleted, fails with `reason`
 * (`asset.failed`). Undefined when the session had already left `active`.
 */
export async function endMultipartUpload(tx: Db, uploadId: string, status: MultipartUploadEnd, reason: string): Promise<{ upload: MultipartUpload; asset: Asset | undefined } | undefined> {
  const ended = await tx.multipartUpload.updateMany({ where: { id: uploadId, status: "active" }, data: { status } });
  if (ended.count === 0) return undefined;
  const upload = await tx.multipartUpload.findUniqueOrThrow({ where: { id: uploadId } });
  const asset = await tx.asset.findUnique({ where: { id: upload.assetId } });
  if (asset?.status !== "processing" || asset.deletedAt) return { upload, asset: asset ?? undefined };
  return { upload, asset: (await finishAsset(tx, asset.id, { status: "failed", errorMessage: reason })).asset };
}
