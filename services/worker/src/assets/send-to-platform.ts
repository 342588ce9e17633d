import { stat, rm } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { MULTIPART_LIMITS, mediaTypeForName } from "@reelay/contract";
import { asJson, type Asset } from "@reelay/db";
import { StaleStateError } from "@reelay/domain";
import { alreadyGone } from "../cleanup/clean-up-asset.ts";
import { assembleUpload } from "../multipart-uploads/assemble-upload.ts";
import { PlatformError } from "../platform/platform-error.ts";
import { createInFlight, progressed, type StepContext, type StepOutcome } from "../steps/step.ts";

/** Chunks PUT, then reported together, per step: the SDK helper's batch. */
const BATCH = 10;
/** Chunk PUTs in flight at once within a batch. */
const PARALLEL_PUTS = 4;

/**
 * `Asset.upstreamUpload`: the platform's multipart session for this asset and how far it got.
 * `reported` chunks (1 to `reported`) are reported to the platform; `sending` is the batch a run
 * was sending when it recorded this, cleared once that batch is reported: if a run finds it set,
 * the previous one died in between, and the platform is asked which of those chunks it holds.
 */
export const UpstreamUploadProgress = z.object({
  upload_id: z.string(),
  asset_id: z.string(),
  chunk_size: z.number().int().positive(),
  total_chunks: z.number().int().positive(),
  reported: z.number().int().min(0),
  sending: z.object({ start: z.number().int(), end: z.number().int() }).nullish(),
  upload_headers: z.record(z.string(), z.string()).optional(),
});
export type UpstreamUploadProgress = z.infer<typeof UpstreamUploadProgress>;

/** Reelay's own work, nothing to wait for: the next step runs at once. */
const continueNow = (stage: string): StepOutcome => ({ done: false, stage, remote: false, waitMs: 0, progressed: true });

/**
 * The file part of the ingest's create step. A multipart upload to Reelay is first joined into the
 * asset's blob. A blob above the platform's direct-upload limit then goes up by the platform's own
 * multipart flow, one batch of chunks per step, its progress recorded on the asset after every
 * reported batch, so a killed worker resumes from the last reported chunk; once every chunk is
 * reported, the platform's asset id becomes the upstream id and the ingest polls it as usual.
 * Returns the step's outcome when it handled the step, undefined when the direct path applies
 * (a URL, or a file within the limit).
 */
export async function sendToPlatform(ctx: StepContext, asset: Asset): Promise<StepOutcome | undefined> {
  if (asset.method === "multipart" && !asset.blobKey) {
    await assembleUpload(ctx, asset);
    return continueNow("assembled");
  }
  if (!asset.blobKey) return undefined;
  const filePath = path.join(ctx.blobDir, asset.blobKey);
  const progress = asset.upstreamUpload ? UpstreamUploadProgress.parse(asset.upstreamUpload) : undefined;
  if (!progress) {
    const size = (await stat(filePath)).size;
    if (size <= ctx.platform.directUploadMaxBytes) return undefined;
    return openUpstreamUpload(ctx, asset, size);
  }
  if (progress.reported < progress.total_chunks) return sendBatch(ctx, asset, progress, filePath);

  // Every chunk is reported: the platform holds the file. Poll its asset like a direct upload's.
  await ctx.prisma.asset.updateMany({ where: { id: asset.id, status: "processing" }, data: { upstreamId: progress.asset_id } });
  await rm(filePath, { force: true });
  return progressed("await_ready");
}

/**
 * Creates the platform's upload session, stamped with Reelay's id like a direct create. A run that
 * finds an earlier create sent but unrecorded cannot resume that session (the platform lists
 * uploads without their asset): it deletes the reserved asset, which ends that session, and starts over.
 */
async function openUpstreamUpload(ctx: StepContext, asset: Asset, size: number): Promise<StepOutcome> {
  const sentAt = ctx.job.createSentAt;
  if (sentAt) {
    const inFlightMs = ctx.createInFlightMs(sentAt);
    if (inFlightMs > 0) return createInFlight(inFlightMs);
    const orphan = await ctx.platform.findAsset(asset.id, asset.filename ?? undefined, sentAt);
    if (orphan) {
      await ctx.platform.deleteAsset(orphan._id).catch((error: unknown) => {
        if (!alreadyGone(error)) throw error;
      });
    }
  }
  await ctx.markCreateSent();
  const session = await ctx.platform.createMultipartUpload({
    reelayId: asset.id,
    filename: asset.filename ?? asset.id,
    type: await uploadType(ctx, asset),
    totalSize: size,
    enableHls: asset.enableHls,
    enableThumbnail: asset.enableThumbnail,
    userMetadata: (asset.userMetadata as Record<string, unknown> | null) ?? undefined,
  });
  const headers = session.upload_headers && Object.keys(session.upload_headers).length > 0 ? { upload_headers: session.upload_headers } : {};
  await record(ctx, asset.id, { upload_id: session.upload_id, asset_id: session.asset_id, chunk_size: session.chunk_size, total_chunks: session.total_chunks, reported: 0, ...headers });
  return continueNow("upload_chunks");
}

/** PUTs the next batch of chunks (streamed from the blob by file range), reports it, records it. */
async function sendBatch(ctx: StepContext, asset: Asset, progress: UpstreamUploadProgress, filePath: string): Promise<StepOutcome> {
  const held = progress.sending ? await reportedUpstream(ctx, progress.upload_id, progress.sending) : new Set<number>();
  const start = progress.reported + 1;
  const end = Math.min(progress.total_chunks, progress.reported + BATCH);
  await record(ctx, asset.id, { ...progress, sending: { start, end } });

  const pending = range(start, end).filter((index) => !held.has(index));
  if (pending.length > 0) {
    const size = (await stat(filePath)).size;
    const urls = new Map((await ctx.platform.requestChunkUrls(progress.upload_id, start, end - start + 1)).upload_urls.map((u) => [u.chunk_index, u.url]));
    const sent = await mapLimit(pending, PARALLEL_PUTS, (index) => putChunk(ctx, progress, filePath, size, index, urls.get(index)));
    const proofs = sent.filter((chunk) => chunk !== undefined);
    if (proofs.length > 0) {
      const answer = await ctx.platform.reportChunks(progress.upload_id, proofs);
      const accepted = (answer.processed_chunks ?? proofs.length) + (answer.duplicate_chunks ?? 0);
      // A refused proof leaves its chunk failed upstream; the next run finds which and sends it again.
      if (accepted < proofs.length) throw new PlatformError(`report chunks: the platform accepted ${accepted} of ${proofs.length} chunks`, { code: "chunk_refused", kind: "transient", operation: "report chunks" });
    }
  }
  await record(ctx, asset.id, { ...progress, reported: end, sending: null });
  return continueNow(end < progress.total_chunks ? "upload_chunks" : "upload_reported");
}

/**
 * One chunk's PUT; undefined when the platform already has it reported (409: a run died after
 * reporting it). A refused URL (403: expired, or single-use and used) is replaced once.
 */
async function putChunk(ctx: StepContext, progress: UpstreamUploadProgress, filePath: string, size: number, index: number, url: string | undefined): Promise<{ chunkIndex: number; etag: string; size: number } | undefined> {
  const bytes = { start: (index - 1) * progress.chunk_size, end: Math.min(index * progress.chunk_size, size) };
  const freshUrl = async () => {
    const fresh = (await ctx.platform.requestChunkUrls(progress.upload_id, index, 1)).upload_urls.find((u) => u.chunk_index === index)?.url;
    if (!fresh) throw new PlatformError(`request chunk urls: no URL for chunk ${index}`, { code: "unreadable_answer", kind: "transient", operation: "request chunk urls" });
    return fresh;
  };
  const put = async (target: string) => ctx.platform.putChunk(target, filePath, bytes, progress.upload_headers);
  try {
    return { chunkIndex: index, etag: await put(url ?? (await freshUrl())), size: bytes.end - bytes.start };
  } catch (error) {
    if (error instanceof PlatformError && error.status === 409) return undefined;
    if (!(error instanceof PlatformError && error.status === 403)) throw error;
    return { chunkIndex: index, etag: await put(await freshUrl()), size: bytes.end - bytes.start };
  }
}

/** Which chunks of an interrupted batch the platform holds reported (it lists every chunk, in pages). */
async function reportedUpstream(ctx: StepContext, uploadId: string, batch: { start: number; end: number }): Promise<Set<number>> {
  const pageLimit = MULTIPART_LIMITS.maxUrlsPerRequest;
  const held = new Set<number>();
  for (let page = Math.floor((batch.start - 1) / pageLimit) + 1; page <= Math.floor((batch.end - 1) / pageLimit) + 1; page += 1) {
    for (const chunk of (await ctx.platform.getUploadStatus(uploadId, page, pageLimit)).uploaded_chunks) {
      if (chunk.status === "completed" && chunk.index >= batch.start && chunk.index <= batch.end) held.add(chunk.index);
    }
  }
  return held;
}

/** Writes the progress while the asset is still processing; a cancelled ingest stops here. */
async function record(ctx: StepContext, assetId: string, progress: UpstreamUploadProgress): Promise<void> {
  const written = await ctx.prisma.asset.updateMany({ where: { id: assetId, status: "processing" }, data: { upstreamUpload: asJson(progress) } });
  if (written.count === 0) throw new StaleStateError("asset", assetId);
}

/** The platform's `type` of the upload: the one declared to Reelay, else the file's media type. */
async function uploadType(ctx: StepContext, asset: Asset): Promise<"video" | "audio" | "image"> {
  const declared = asset.method === "multipart" ? (await ctx.prisma.multipartUpload.findUnique({ where: { assetId: asset.id }, select: { fileType: true } }))?.fileType : undefined;
  if (declared === "video" || declared === "audio" || declared === "image") return declared;
  const mediaType = asset.fileType ?? mediaTypeForName(asset.filename ?? "") ?? "";
  return mediaType.startsWith("audio/") ? "audio" : mediaType.startsWith("image/") ? "image" : "video";
}

function range(first: number, last: number): number[] {
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
}

/** `work` over `items`, at most `limit` at once, results in the items' order. After a failure no new item starts; the first failure is thrown once the running ones settle. */
async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (!failure && next < items.length) {
      const at = next++;
      try {
        results[at] = await work(items[at]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  });
  await Promise.all(lanes);
  if (failure) throw failure.error;
  return results;
}
