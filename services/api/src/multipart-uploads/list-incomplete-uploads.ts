import { pageInfo, type IncompleteUploadSummary, type PageInfo, type PageQuery } from "@reelay/contract";
import type { MultipartUpload } from "@reelay/db";
import { settleUpload } from "./find-upload.ts";
import type { MultipartUploadDeps } from "./multipart-upload-deps.ts";

/** The tenant's sessions not completed (active, failed or expired), newest first. */
export async function listIncompleteUploads(deps: MultipartUploadDeps, tenantId: string, query: PageQuery): Promise<{ data: IncompleteUploadSummary[]; page_info: PageInfo }> {
  // Bring overdue sessions up to date first, so an expired one never shows as active.
  const overdue = await deps.prisma.multipartUpload.findMany({
    where: { tenantId, status: "active", OR: [{ expiresAt: { lte: new Date() } }, { asset: { deletedAt: { not: null } } }] },
    include: { asset: { select: { deletedAt: true } } },
  });
  for (const upload of overdue) await settleUpload(deps.prisma, upload);

  const where = { tenantId, status: { not: "completed" } };
  const [rows, total] = await Promise.all([
    deps.prisma.multipartUpload.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (query.page - 1) * query.page_limit, take: query.page_limit }),
    deps.prisma.multipartUpload.count({ where }),
  ]);
  return { data: rows.map(toUploadSummary), page_info: pageInfo(query, total) };
}

export function toUploadSummary(upload: MultipartUpload): IncompleteUploadSummary {
  return {
    upload_id: upload.id,
    status: upload.status as IncompleteUploadSummary["status"],
    total_size: Number(upload.totalSize),
    chunk_size: upload.chunkSize,
    total_chunks: upload.totalChunks,
    created_at: upload.createdAt.toISOString(),
    expires_at: upload.expiresAt.toISOString(),
  };
}
