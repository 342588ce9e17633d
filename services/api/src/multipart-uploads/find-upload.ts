import { AppError, notFound } from "@reelay/contract";
import type { Db, MultipartUpload, PrismaClient } from "@reelay/db";
import { endMultipartUpload } from "@reelay/domain";

export type UploadWithAsset = MultipartUpload & { asset: { deletedAt: Date | null } };

/**
 * The tenant's upload, brought up to date first: a session whose 24 hours passed is `expired`, one
 * whose asset was deleted is `failed` (its asset failing with it). The worker's sweep does the same
 * for sessions nobody asks about; here the client never sees a status that lags the clock.
 */
export async function findUpload(prisma: PrismaClient, tenantId: string | undefined, uploadId: string): Promise<UploadWithAsset> {
  const upload = await prisma.multipartUpload.findFirst({ where: { id: uploadId, ...(tenantId ? { tenantId } : {}) }, include: { asset: { select: { deletedAt: true } } } });
  if (!upload) throw notFound("multipart_upload", uploadId, "multipart uploads");
  return settleUpload(prisma, upload);
}

/** What the session's status must be now, if it can no longer complete. */
export function overdueEnd(upload: UploadWithAsset, now = Date.now()): { status: "expired" | "failed"; reason: string } | undefined {
  if (upload.status !== "active") return undefined;
  if (upload.asset.deletedAt) return { status: "failed", reason: "the asset was deleted before every chunk was reported" };
  if (now >= upload.expiresAt.getTime()) return { status: "expired", reason: "the multipart upload expired before every chunk was reported" };
  return undefined;
}

export async function settleUpload(prisma: PrismaClient, upload: UploadWithAsset): Promise<UploadWithAsset> {
  const end = overdueEnd(upload);
  if (!end) return upload;
  const ended = await prisma.$transaction((tx) => endMultipartUpload(tx, upload.id, end.status, end.reason));
  return { ...upload, ...(ended?.upload ?? { status: end.status }) };
}

/** The session takes no more chunks, reports or URLs: why, as the platform words it. */
export function notActive(upload: MultipartUpload, status = 400): AppError {
  const why: Record<string, string> = {
    completed: "every chunk was already reported",
    failed: "it failed (its asset was deleted); start a new upload",
    expired: `it expired at ${upload.expiresAt.toISOString()}; start a new upload`,
  };
  return new AppError({
    code: `multipart_upload/${upload.status}`,
    platformCode: "parameter_invalid",
    status,
    message: `The upload_id parameter is invalid: upload session ${upload.id} accepts no more chunks: ${why[upload.status] ?? `it is ${upload.status}`}.`,
  });
}

/** Locks the upload row for the rest of the transaction: reports and chunk receipts of one upload take turns. */
export async function lockUpload(tx: Db, uploadId: string): Promise<void> {
  await tx.$queryRaw`SELECT "id" FROM "multipart_uploads" WHERE "id" = ${uploadId} FOR UPDATE`;
}
