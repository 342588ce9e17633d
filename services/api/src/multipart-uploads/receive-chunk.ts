import { randomBytes } from "node:crypto";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { AppError, chunkAlreadyReported, chunkUrlRejected, chunkWrongSize, expectedChunkSize, notFound, writeChunk } from "@reelay/contract";
import type { Db } from "@reelay/db";
import { multipartChunkDir, multipartChunkFile } from "@reelay/domain";
import { findUpload, lockUpload, notActive, overdueEnd, type UploadWithAsset } from "./find-upload.ts";
import type { MultipartUploadDeps } from "./multipart-upload-deps.ts";

export interface ChunkPut {
  uploadId: string;
  chunkIndex: number;
  /** The URL's grant: its expiry (unix seconds) and signature. */
  expires: number;
  sig: string;
  /** `Content-Length`, when the client sent one. */
  declaredLength: number | undefined;
  body: Readable;
}

/**
 * Stores the bytes PUT to a chunk URL, streamed to a file in the upload's directory (never held in
 * memory), and returns their ETag: the MD5 hex, as S3 answers a single-part PUT, which the client
 * reports as proof. The same URL may be used again until it expires (the last upload wins) and a
 * chunk can change until it is reported; sizes are checked here, so a bad chunk is refused while
 * the client can still fix it.
 */
export async function receiveChunk(deps: MultipartUploadDeps, put: ChunkPut): Promise<{ etag: string }> {
  const grant = { uploadId: put.uploadId, chunkIndex: put.chunkIndex, expires: put.expires };
  const check = deps.signer.check(grant, put.sig);
  if (check === "invalid") throw chunkUrlRejected("The upload URL is not valid for this chunk; use a URL issued for it.");
  if (check === "expired") throw chunkUrlRejected(`The upload URL expired at ${new Date(put.expires * 1000).toISOString()}; request a new one with POST /assets/multipart-uploads/{upload_id}/presigned-urls.`);

  const upload = await findUpload(deps.prisma, undefined, put.uploadId);
  const refusal = await refusalOf(deps.prisma, upload, put.chunkIndex);
  if (refusal) throw refusal.error;
  const expected = expectedChunkSize(upload, put.chunkIndex);
  if (put.declaredLength !== undefined && put.declaredLength !== expected) throw chunkWrongSize(put.chunkIndex, expected, put.declaredLength);

  const dir = multipartChunkDir(deps.blobDir, upload.id);
  await mkdir(dir, { recursive: true });
  // A unique name while the bytes arrive: two PUTs of one chunk never write the same file.
  const partial = path.join(dir, `.${put.chunkIndex}.${randomBytes(6).toString("hex")}.part`);
  let etag: string;
  let size: number;
  try {
    ({ etag, size } = await writeChunk(put.body, partial, put.chunkIndex, expected));
    await rename(partial, multipartChunkFile(deps.blobDir, upload.id, put.chunkIndex, etag));
  } catch (error) {
    await rm(partial, { force: true });
    throw interrupted(error) ?? error;
  }

  // Recorded under the upload's lock, after the session's state is read again: it may have moved
  // on (completed, expired) while the bytes streamed in.
  const previous = await deps.prisma.$transaction(async (tx) => {
    await lockUpload(tx, upload.id);
    const current = await tx.multipartUpload.findUniqueOrThrow({ where: { id: upload.id }, include: { asset: { select: { deletedAt: true } } } });
    const refusal = await refusalOf(tx, current, put.chunkIndex);
    if (refusal) {
      // Keep the file only if a report already accepted these very bytes.
      if (refusal.keep !== etag) await rm(multipartChunkFile(deps.blobDir, upload.id, put.chunkIndex, etag), { force: true });
      throw refusal.error;
    }
    const row = await tx.multipartChunk.findUnique({ where: { uploadId_index: { uploadId: upload.id, index: put.chunkIndex } } });
    const data = { size, etag, status: "pending", error: null, receivedAt: new Date() };
    await tx.multipartChunk.upsert({ where: { uploadId_index: { uploadId: upload.id, index: put.chunkIndex } }, create: { uploadId: upload.id, index: put.chunkIndex, ...data }, update: data });
    return row?.etag;
  });
  // Other bytes sent earlier for this chunk are superseded: no report can accept them any more.
  if (previous && previous !== etag) await rm(multipartChunkFile(deps.blobDir, upload.id, put.chunkIndex, previous), { force: true });
  return { etag };
}

/**
 * Why this chunk cannot be stored now, if it cannot: the session takes no chunks (403), the index
 * is outside it (404), or the chunk was reported already (409). `keep` names the ETag of a
 * reported chunk's file, which must survive.
 */
async function refusalOf(db: Db, upload: UploadWithAsset, chunkIndex: number): Promise<{ error: AppError; keep?: string | null | undefined } | undefined> {
  const end = overdueEnd(upload);
  const chunk = await db.multipartChunk.findUnique({ where: { uploadId_index: { uploadId: upload.id, index: chunkIndex } }, select: { etag: true, status: true } });
  const keep = chunk?.status === "completed" ? chunk.etag : undefined;
  if (upload.status !== "active" || end) return { error: notActive({ ...upload, status: end?.status ?? upload.status }, 403), keep };
  if (chunkIndex > upload.totalChunks) return { error: notFound("multipart_upload_chunk", String(chunkIndex), `chunks of upload ${upload.id}`) };
  if (chunk?.status === "completed") {
    return {
      error: chunkAlreadyReported(chunkIndex),
      keep,
    };
  }
  return undefined;
}

/** The client went away mid-body: its fault, not ours (no answer reaches it anyway, but no 500 is logged). */
function interrupted(error: unknown): AppError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== "ERR_STREAM_PREMATURE_CLOSE" && code !== "ECONNRESET" && code !== "ECONNABORTED") return undefined;
  return new AppError({ code: "multipart_upload/chunk_interrupted", platformCode: "parameter_invalid", status: 400, message: "The chunk's upload was interrupted before all its bytes arrived; upload it again." });
}


