import { AppError, MULTIPART_LIMITS, type PresignedUrlsResponse } from "@reelay/contract";
import type { MultipartUpload } from "@reelay/db";
import type { ChunkUrlSigner } from "./chunk-url-signer.ts";
import { findUpload, notActive } from "./find-upload.ts";
import type { MultipartUploadDeps } from "./multipart-upload-deps.ts";

export interface ChunkUrl {
  chunk_index: number;
  url: string;
  expires_at: string;
}

/**
 * Signed URLs for chunks `start` to `start + count - 1` (those that exist), served by Reelay itself
 * at `{origin}/uploads/{upload_id}/{chunk_index}`, valid for an hour and never past the session.
 */
export function chunkUrls(signer: ChunkUrlSigner, origin: string, upload: Pick<MultipartUpload, "id" | "totalChunks" | "expiresAt">, start: number, count: number, now = Date.now()): ChunkUrl[] {
  const expires = Math.floor(Math.min(now + MULTIPART_LIMITS.urlTtlMs, upload.expiresAt.getTime()) / 1000);
  const expiresAt = new Date(expires * 1000).toISOString();
  const urls: ChunkUrl[] = [];
  for (let chunkIndex = start; chunkIndex < start + count && chunkIndex <= upload.totalChunks; chunkIndex += 1) {
    const sig = signer.sign({ uploadId: upload.id, chunkIndex, expires });
    urls.push({ chunk_index: chunkIndex, url: `${origin}/uploads/${upload.id}/${chunkIndex}?expires=${expires}&sig=${sig}`, expires_at: expiresAt });
  }
  return urls;
}

/** `POST .../presigned-urls`: fresh URLs for chunks `start` to `start + count - 1`, all of which must exist. */
export async function requestPresignedUrls(deps: MultipartUploadDeps, tenantId: string, uploadId: string, origin: string, start: number, count: number): Promise<PresignedUrlsResponse> {
  const upload = await findUpload(deps.prisma, tenantId, uploadId);
  if (upload.status !== "active") throw notActive(upload);
  const last = start + count - 1;
  if (last > upload.totalChunks) {
    const field = start > upload.totalChunks ? "start" : "count";
    const message = `chunks ${start} to ${last} are outside the upload's 1 to ${upload.totalChunks}.`;
    throw new AppError({ code: "multipart_upload/invalid_range", platformCode: "parameter_invalid", status: 400, message: `The ${field} parameter is invalid: ${message}`, errors: [{ field, message }] });
  }
  const now = Date.now();
  const urls = chunkUrls(deps.signer, origin, upload, start, count, now);
  return {
    upload_id: upload.id,
    start_index: start,
    count: urls.length,
    upload_urls: urls,
    generated_at: new Date(now).toISOString(),
    expires_at: urls[0]?.expires_at ?? new Date(now).toISOString(),
  };
}
