import { AppError, API_VERSION } from "@reelay/contract";
import type { FieldError } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import { expectedChunkSize } from "./chunk-sizes.ts";
import { completeUpload } from "./complete-upload.ts";
import { getUpload, notActive } from "./get-upload.ts";
import type { CompletedChunk, ReportChunksResponse } from "@reelay/contract";

/**
 * Records chunks the client uploaded, in any order and batch size. A chunk already reported
 * (earlier or twice in this batch) counts as a duplicate and changes nothing. A chunk whose proof
 * is not the ETag of the bytes received for it becomes `failed`: it has to be uploaded again.
 * Indexes and sizes outside the session's layout reject the whole batch (400) before anything
 * changes. Reporting the last chunk completes the session and starts processing its asset.
 */
export function reportChunks(ctx: EmulatorContext, uploadId: string, origin: string, reported: CompletedChunk[]): ReportChunksResponse {
  const upload = getUpload(ctx, uploadId);
  if (upload.status === "expired" || upload.status === "failed") throw notActive(upload);

  const errors: FieldError[] = [];
  reported.forEach((entry, position) => {
    if (entry.chunk_index > upload.totalChunks) {
      errors.push({ field: `completed_chunks.${position}.chunk_index`, message: `this upload has chunks 1 to ${upload.totalChunks}` });
    } else if (entry.chunk_size !== expectedChunkSize(upload, entry.chunk_index)) {
      errors.push({ field: `completed_chunks.${position}.chunk_size`, message: `chunk ${entry.chunk_index} is ${expectedChunkSize(upload, entry.chunk_index)} bytes` });
    }
  });
  const [first] = errors;
  if (first) {
    throw new AppError({ code: "multipart_upload/validation_failed", platformCode: "parameter_invalid", status: 400, message: `The ${first.field} parameter is invalid: ${first.message}.`, errors });
  }

  let processed = 0;
  let duplicates = 0;
  const now = new Date();
  for (const entry of reported) {
    const chunk = upload.chunks[entry.chunk_index - 1]!;
    if (chunk.status === "completed") {
      duplicates += 1;
      continue;
    }
    const proof = entry.proof.replace(/"/g, "").toLowerCase();
    const problem = !chunk.received ? "no bytes were received for this chunk" : chunk.received.etag !== proof ? "the reported proof is not the ETag of the bytes received" : undefined;
    Object.assign(chunk, problem ? { status: "failed", error: problem, updatedAt: now } : { status: "completed", error: undefined, uploadedAt: now, updatedAt: now });
    if (!problem) processed += 1;
  }
  if (processed > 0 || duplicates < reported.length) upload.updatedAt = now;

  const totalCompleted = upload.chunks.filter((chunk) => chunk.status === "completed").length;
  if (upload.status === "active" && totalCompleted === upload.totalChunks) completeUpload(ctx, upload);
  return {
    url: upload.status === "completed" ? `${origin}/${API_VERSION}/assets/${upload.assetId}` : undefined,
    asset_id: upload.assetId,
    processed_chunks: processed,
    duplicate_chunks: duplicates,
    total_completed: totalCompleted,
  };
}
