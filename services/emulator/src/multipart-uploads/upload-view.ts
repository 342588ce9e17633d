import type { PageQuery } from "@reelay/contract";
import { paginate } from "../http/paginate.ts";
import type { MultipartUploadRecord } from "../state/emulator-state.ts";
import { expectedChunkSize } from "@reelay/contract";
import type { IncompleteUploadSummary, UploadStatusResponse } from "@reelay/contract";

/** Session status with one page of per-chunk status (every chunk is listed, pending ones too). */
export function toUploadStatus(upload: MultipartUploadRecord, query: PageQuery): UploadStatusResponse {
  const count = (status: string) => upload.chunks.filter((chunk) => chunk.status === status).length;
  const completed = count("completed");
  const failed = count("failed");
  const chunks = upload.chunks.map((chunk, position) => ({
    index: position + 1,
    status: chunk.status,
    uploaded_at: chunk.status === "completed" && chunk.uploadedAt ? chunk.uploadedAt.toISOString() : null,
    updated_at: chunk.updatedAt?.toISOString(),
    error: chunk.status === "failed" ? chunk.error : undefined,
  }));
  const page = paginate(chunks, query);
  return {
    upload_id: upload.id,
    status: upload.status,
    uploaded_chunks: page.data,
    chunks_completed: completed,
    chunks_failed: failed,
    chunks_pending: upload.totalChunks - completed - failed,
    page_info: page.page_info,
    total_size: upload.totalSize,
    uploaded_size: upload.chunks.reduce((sum, chunk, position) => sum + (chunk.status === "completed" ? expectedChunkSize(upload, position + 1) : 0), 0),
    created_at: upload.createdAt.toISOString(),
    updated_at: upload.updatedAt.toISOString(),
  };
}

export function toUploadSummary(upload: MultipartUploadRecord): IncompleteUploadSummary {
  return {
    upload_id: upload.id,
    status: upload.status,
    total_size: upload.totalSize,
    chunk_size: upload.chunkSize,
    total_chunks: upload.totalChunks,
    created_at: upload.createdAt.toISOString(),
    expires_at: upload.expiresAt.toISOString(),
  };
}
