import { API_VERSION, assertReportFitsLayout, expectedChunkSize, type CompletedChunk, type ReportChunksResponse } from "@reelay/contract";
import type { Job } from "@reelay/db";
import { completeMultipartUpload } from "@reelay/domain";
import { dispatchAfterCommit } from "@reelay/jobs";
import { findUpload, lockUpload, notActive, overdueEnd } from "./find-upload.ts";
import type { MultipartUploadDeps } from "./multipart-upload-deps.ts";

const NO_BYTES = "no bytes were received for this chunk";
const WRONG_PROOF = "the reported proof is not the ETag of the bytes received";

/**
 * Records chunks the client uploaded, in any order and batch size. A chunk already reported
 * (earlier, or twice in this batch) counts as a duplicate and changes nothing. A chunk whose proof
 * is not the ETag of the bytes received for it becomes `failed`: it has to be uploaded again.
 * Indexes and sizes outside the session's layout reject the whole batch (400) before anything
 * changes. Reporting the last chunk completes the session and starts the asset's ingest job, which
 * joins the chunks and sends the file upstream.
 */
export async function reportChunks(deps: MultipartUploadDeps, tenantId: string, uploadId: string, origin: string, reported: CompletedChunk[]): Promise<ReportChunksResponse> {
  const upload = await findUpload(deps.prisma, tenantId, uploadId);
  if (upload.status === "expired" || upload.status === "failed") throw notActive(upload);
  assertReportFitsLayout(upload, reported);

  const outcome = await deps.prisma.$transaction(async (tx) => {
    await lockUpload(tx, upload.id);
    // Read again under the lock: the session may have ended (or its asset gone) since.
    const current = await tx.multipartUpload.findUniqueOrThrow({ where: { id: upload.id }, include: { asset: { select: { deletedAt: true } } } });
    const end = overdueEnd(current);
    if (end || current.status === "expired" || current.status === "failed") throw notActive({ ...current, status: end?.status ?? current.status });
    const indexes = [...new Set(reported.map((entry) => entry.chunk_index))];
    const rows = new Map((await tx.multipartChunk.findMany({ where: { uploadId: upload.id, index: { in: indexes } } })).map((row) => [row.index, row]));

    const now = new Date();
    const accepted = new Set<number>();
    const failed = new Map<number, string>();
    let duplicates = 0;
    for (const entry of reported) {
      const row = rows.get(entry.chunk_index);
      if (row?.status === "completed" || accepted.has(entry.chunk_index)) {
        duplicates += 1;
        continue;
      }
      const proof = entry.proof.replace(/"/g, "").toLowerCase();
      if (row?.etag && row.etag === proof) {
        accepted.add(entry.chunk_index);
        failed.delete(entry.chunk_index);
      } else {
        failed.set(entry.chunk_index, row?.etag ? WRONG_PROOF : NO_BYTES);
      }
    }
    if (accepted.size > 0) {
      await tx.multipartChunk.updateMany({ where: { uploadId: upload.id, index: { in: [...accepted] } }, data: { status: "completed", error: null, reportedAt: now } });
    }
    for (const [index, error] of failed) {
      const size = expectedChunkSize(current, index);
      await tx.multipartChunk.upsert({
        where: { uploadId_index: { uploadId: upload.id, index } },
        create: { uploadId: upload.id, index, size, status: "failed", error, reportedAt: now },
        update: { status: "failed", error, reportedAt: now },
      });
    }
    if (accepted.size > 0 || failed.size > 0) await tx.multipartUpload.update({ where: { id: upload.id }, data: { updatedAt: now } });

    const totalCompleted = await tx.multipartChunk.count({ where: { uploadId: upload.id, status: "completed" } });
    let job: Job | undefined;
    let status = current.status;
    if (status === "active" && totalCompleted === current.totalChunks) {
      ({ job } = await completeMultipartUpload(tx, current));
      status = "completed";
    }
    return { processed: accepted.size, duplicates, totalCompleted, status, job };
  });

  if (outcome.job) await dispatchAfterCommit(deps.queue, outcome.job, (error) => deps.log(`asset ${upload.assetId}: dispatch deferred to the reconciler`, error));
  return {
    ...(outcome.status === "completed" ? { url: `${origin}/${API_VERSION}/assets/${upload.assetId}` } : {}),
    asset_id: upload.assetId,
    processed_chunks: outcome.processed,
    duplicate_chunks: outcome.duplicates,
    total_completed: outcome.totalCompleted,
  };
}

