import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { chunkAlreadyReported, chunkUrlRejected, chunkWrongSize, expectedChunkSize, notFound, writeChunk } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import type { MultipartUploadRecord } from "../state/emulator-state.ts";
import { getUpload, notActive } from "./get-upload.ts";

export interface ChunkPut {
  uploadId: string;
  chunkIndex: number;
  token: string;
  /** `Content-Length`, when the client sent one. */
  declaredLength: number | undefined;
  body: Readable;
}

/**
 * Stores the bytes PUT to a presigned chunk URL and returns their ETag (the MD5 hex, as S3 gives
 * for a single-part PUT), which the client reports as proof. A URL works once; a chunk can be PUT
 * again with a fresh URL until it is reported, the last upload winning. Sizes are checked here,
 * not at completion, so a bad chunk is refused while the client can still fix it.
 */
export async function receiveChunk(ctx: EmulatorContext, put: ChunkPut): Promise<{ etag: string }> {
  const upload = getUpload(ctx, put.uploadId);
  const url = upload.urls.get(put.token);
  if (!url || url.chunkIndex !== put.chunkIndex) throw chunkUrlRejected("The upload URL is not valid for this chunk; use a URL the platform issued for it.");
  if (url.used) throw chunkUrlRejected("The upload URL was already used; request a new one with POST /assets/multipart-uploads/{upload_id}/presigned-urls.");
  if (Date.now() >= url.expiresAt.getTime()) throw chunkUrlRejected(`The upload URL expired at ${url.expiresAt.toISOString()}; request a new one.`);
  assertAcceptsChunk(upload, put.chunkIndex);

  const expected = expectedChunkSize(upload, put.chunkIndex);
  if (put.declaredLength !== undefined && put.declaredLength !== expected) throw chunkWrongSize(put.chunkIndex, expected, put.declaredLength);

  await mkdir(upload.dir, { recursive: true });
  const path = join(upload.dir, `${put.chunkIndex}-${randomBytes(6).toString("hex")}.part`);
  let written: { etag: string; size: number };
  try {
    written = await writeChunk(put.body, path, put.chunkIndex, expected);
    // The session may have moved on while the bytes streamed in.
    assertAcceptsChunk(upload, put.chunkIndex);
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }

  const { etag, size } = written;
  url.used = true;
  const chunk = upload.chunks[put.chunkIndex - 1]!;
  const previous = chunk.received;
  Object.assign(chunk, { received: { path, etag, size }, status: "pending", error: undefined, updatedAt: new Date() });
  upload.updatedAt = new Date();
  if (previous) await rm(previous.path, { force: true });
  return { etag };
}

function assertAcceptsChunk(upload: MultipartUploadRecord, chunkIndex: number): void {
  if (upload.status !== "active") throw notActive(upload, 403);
  const chunk = upload.chunks[chunkIndex - 1];
  if (!chunk) throw notFound("multipart_upload_chunk", String(chunkIndex), `chunks of upload ${upload.id}`);
  if (chunk.status === "completed") {
    throw chunkAlreadyReported(chunkIndex);
  }
}


