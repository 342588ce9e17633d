import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { AppError, type FieldError } from "./errors.ts";
import type { CompletedChunk } from "./multipart-wire.ts";

/**
 * The platform's rules for a multipart upload's chunks, which Reelay's API and the emulator both
 * enforce: the same sizes, the same refusals, in the same words.
 */

/** How an upload is cut: every chunk is `chunkSize` bytes except the last, which holds the rest. */
export interface ChunkLayout {
  chunkSize: number;
  totalChunks: number;
  totalSize: number | bigint;
}

export function expectedChunkSize(layout: ChunkLayout, chunkIndex: number): number {
  return chunkIndex < layout.totalChunks ? layout.chunkSize : Number(layout.totalSize) - (layout.totalChunks - 1) * layout.chunkSize;
}

/** Every reported index must be one of the upload's chunks, with that chunk's exact size: a 400 naming each that is not. */
export function assertReportFitsLayout(layout: ChunkLayout, reported: CompletedChunk[]): void {
  const errors: FieldError[] = [];
  reported.forEach((entry, position) => {
    if (entry.chunk_index > layout.totalChunks) {
      errors.push({ field: `completed_chunks.${position}.chunk_index`, message: `this upload has chunks 1 to ${layout.totalChunks}` });
    } else if (entry.chunk_size !== expectedChunkSize(layout, entry.chunk_index)) {
      errors.push({ field: `completed_chunks.${position}.chunk_size`, message: `chunk ${entry.chunk_index} is ${expectedChunkSize(layout, entry.chunk_index)} bytes` });
    }
  });
  const [first] = errors;
  if (first) {
    throw new AppError({ code: "multipart_upload/validation_failed", platformCode: "parameter_invalid", status: 400, message: `The ${first.field} parameter is invalid: ${first.message}.`, errors });
  }
}

/** A chunk PUT to a URL that does not authorise it (unknown, used, expired): 403. */
export function chunkUrlRejected(message: string): AppError {
  return new AppError({ code: "multipart_upload/url_rejected", platformCode: "forbidden", status: 403, message });
}

/** A chunk of the wrong size: 400. `qualifier` ("at least ") when the upload was cut off past the size. */
export function chunkWrongSize(chunkIndex: number, expected: number, actual: number, qualifier = ""): AppError {
  return new AppError({
    code: "multipart_upload/chunk_size",
    platformCode: "parameter_invalid",
    status: 400,
    message: `Chunk ${chunkIndex} must be exactly ${expected} bytes; ${qualifier}${actual} were sent.`,
  });
}

/** A chunk PUT again after it was reported complete: 409. */
export function chunkAlreadyReported(chunkIndex: number): AppError {
  return new AppError({ code: "multipart_upload/chunk_reported", platformCode: "chunk_already_reported", status: 409, message: `Chunk ${chunkIndex} was already reported complete; it cannot change.` });
}

/**
 * Streams one chunk's bytes to `path`, refusing it (chunkWrongSize) as soon as it runs past its
 * size, or at the end if it falls short. Returns the chunk's ETag: the hex MD5 of its bytes, as
 * the platform's storage answers. On error the caller removes `path`.
 */
export async function writeChunk(body: Readable, path: string, chunkIndex: number, expected: number): Promise<{ etag: string; size: number }> {
  const hash = createHash("md5");
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > expected) return done(chunkWrongSize(chunkIndex, expected, size, "at least "));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(body, measure, createWriteStream(path));
  if (size !== expected) throw chunkWrongSize(chunkIndex, expected, size);
  return { etag: hash.digest("hex"), size };
}
