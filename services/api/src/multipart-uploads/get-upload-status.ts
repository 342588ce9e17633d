import { pageInfo, type PageQuery, type UploadStatusResponse } from "@reelay/contract";
import type { MultipartChunk } from "@reelay/db";
import { findUpload } from "./find-upload.ts";
import type { MultipartUploadDeps } from "./multipart-upload-deps.ts";

/**
 * The session with one page of its chunks: every chunk is listed, pending ones too (a chunk has a
 * row only once bytes arrived or a report named it), so the pages cover `1..total_chunks`.
 */
export async function getUploadStatus(deps: MultipartUploadDeps, tenantId: string, uploadId: string, query: PageQuery): Promise<UploadStatusResponse> {
  const upload = await findUpload(deps.prisma, tenantId, uploadId);
  const first = (query.page - 1) * query.page_limit + 1;
  const last = Math.min(upload.totalChunks, first + query.page_limit - 1);
  const [rows, counts, uploaded] = await Promise.all([
    deps.prisma.multipartChunk.findMany({ where: { uploadId, index: { gte: first, lte: last } } }),
    deps.prisma.multipartChunk.groupBy({ by: ["status"], where: { uploadId }, _count: { _all: true } }),
    deps.prisma.multipartChunk.aggregate({ where: { uploadId, status: "completed" }, _sum: { size: true } }),
  ]);
  const byIndex = new Map(rows.map((row) => [row.index, row]));
  const count = (status: string) => counts.find((c) => c.status === status)?._count._all ?? 0;
  const completed = count("completed");
  const failed = count("failed");
  const page: UploadStatusResponse["uploaded_chunks"] = [];
  for (let index = first; index <= last; index += 1) page.push(chunkInfo(index, byIndex.get(index)));
  return {
    upload_id: upload.id,
    status: upload.status as UploadStatusResponse["status"],
    uploaded_chunks: page,
    chunks_completed: completed,
    chunks_failed: failed,
    chunks_pending: upload.totalChunks - completed - failed,
    page_info: pageInfo(query, upload.totalChunks),
    total_size: Number(upload.totalSize),
    uploaded_size: uploaded._sum.size ?? 0,
    created_at: upload.createdAt.toISOString(),
    updated_at: upload.updatedAt.toISOString(),
  };
}

function chunkInfo(index: number, row: MultipartChunk | undefined): UploadStatusResponse["uploaded_chunks"][number] {
  // A chunk whose bytes arrived but that was not reported yet is still `pending`, as on the platform.
  const status = (row?.status ?? "pending") as "completed" | "pending" | "failed";
  const touched = [row?.receivedAt, row?.reportedAt].filter((d): d is Date => d instanceof Date).sort((a, b) => b.getTime() - a.getTime())[0];
  return {
    index,
    status,
    uploaded_at: status === "completed" && row?.reportedAt ? row.reportedAt.toISOString() : null,
    ...(touched ? { updated_at: touched.toISOString() } : {}),
    ...(status === "failed" && row?.error ? { error: row.error } : {}),
  };
}
