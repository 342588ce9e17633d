import { API_VERSION, assertReportFitsLayout } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
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

  assertReportFitsLayout(upload, reported);

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
