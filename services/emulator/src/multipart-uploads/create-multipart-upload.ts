import { join } from "node:path";
import { AppError, mediaTypeForName, newAssetId } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import type { AssetRecord, ChunkRecord, MultipartUploadRecord } from "../state/emulator-state.ts";
import { expireStaleUploads } from "./get-upload.ts";
import type { CreateUploadBody, CreateUploadResponse } from "@reelay/contract";
import { chunkUrl, issueUrls } from "./presigned-urls.ts";
import { INITIAL_URL_COUNT, MAX_CHUNKS, MAX_TOTAL_SIZE, SESSION_TTL_MS } from "./upload-limits.ts";

/**
 * Opens a 24-hour upload session and reserves its asset, which exists from now on as `processing`
 * (the platform's meaning of an unfinished multipart upload) and is probed once every chunk is
 * reported. The chunk size is the configured one, larger when the file would need over 10,000.
 */
export function createMultipartUpload(ctx: EmulatorContext, body: CreateUploadBody, origin: string): CreateUploadResponse {
  const limit = MAX_TOTAL_SIZE[body.type];
  if (body.total_size > limit) {
    const message = `a ${body.type} upload can be at most ${limit} bytes; this one declares ${body.total_size}.`;
    throw new AppError({ code: "multipart_upload/too_large", platformCode: "parameter_invalid", status: 400, message: `The total_size parameter is invalid: ${message}`, errors: [{ field: "total_size", message }] });
  }
  const chunkSize = Math.max(ctx.config.multipartChunkBytes, Math.ceil(body.total_size / MAX_CHUNKS));
  const totalChunks = Math.ceil(body.total_size / chunkSize);
  const now = new Date();

  const asset: AssetRecord = {
    id: newAssetId(now.getTime()),
    method: "multipart",
    status: "processing",
    filename: body.filename,
    fileType: mediaTypeForName(body.filename),
    createdAt: now,
    userMetadata: body.user_metadata,
    enableHls: body.enable_hls ?? false,
    enableThumbnail: body.enable_thumbnail ?? false,
    filePath: undefined,
    facts: undefined,
    failure: undefined,
    declaredKind: body.type,
    seq: ctx.state.nextSeq(),
  };
  const uploadId = newAssetId(now.getTime());
  const upload: MultipartUploadRecord = {
    id: uploadId,
    assetId: asset.id,
    status: "active",
    totalSize: body.total_size,
    chunkSize,
    totalChunks,
    chunks: Array.from({ length: totalChunks }, (): ChunkRecord => ({ received: undefined, status: "pending", uploadedAt: undefined, updatedAt: undefined, error: undefined })),
    urls: new Map(),
    dir: join(ctx.workDir, "multipart", uploadId),
    createdAt: now,
    updatedAt: now,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
    seq: ctx.state.nextSeq(),
  };
  ctx.state.assets.set(asset.id, asset);
  ctx.state.uploads.set(upload.id, upload);
  ctx.background.after(SESSION_TTL_MS, () => expireStaleUploads(ctx));

  return {
    upload_id: upload.id,
    asset_id: asset.id,
    upload_urls: issueUrls(upload, 1, INITIAL_URL_COUNT, now).map((url) => ({
      chunk_index: url.chunkIndex,
      url: chunkUrl(origin, upload.id, url),
      expires_at: url.expiresAt.toISOString(),
    })),
    // The emulator's chunk URLs need no particular header.
    upload_headers: {},
    chunk_size: chunkSize,
    total_chunks: totalChunks,
    expires_at: upload.expiresAt.toISOString(),
  };
}
