import { AppError, MULTIPART_LIMITS, mediaTypeForName, newAssetId, type CreateUploadBody, type CreateUploadResponse } from "@reelay/contract";
import { openMultipartUpload } from "@reelay/domain";
import { chunkUrls } from "./issue-chunk-urls.ts";
import type { MultipartUploadDeps } from "./multipart-upload-deps.ts";

/**
 * Opens a 24-hour upload session and reserves its asset (`processing`, method `multipart`). The
 * chunk size is the configured one, larger when the file would need over 10,000 chunks; the first
 * ten chunk URLs come with the answer, the rest from `presigned-urls`, as on the platform.
 */
export async function createMultipartUpload(deps: MultipartUploadDeps, tenantId: string, body: CreateUploadBody, origin: string): Promise<CreateUploadResponse> {
  const limit = MULTIPART_LIMITS.maxTotalSize[body.type];
  if (body.total_size > limit) {
    const message = `a ${body.type} upload can be at most ${limit} bytes; this one declares ${body.total_size}.`;
    throw new AppError({ code: "multipart_upload/too_large", platformCode: "parameter_invalid", status: 400, message: `The total_size parameter is invalid: ${message}`, errors: [{ field: "total_size", message }] });
  }
  const chunkSize = Math.max(deps.chunkBytes, Math.ceil(body.total_size / MULTIPART_LIMITS.maxChunks));
  const totalChunks = Math.ceil(body.total_size / chunkSize);
  const now = new Date();

  const { upload } = await deps.prisma.$transaction((tx) =>
    openMultipartUpload(tx, {
      asset: {
        id: newAssetId(now.getTime()),
        tenantId,
        filename: body.filename,
        fileType: mediaTypeForName(body.filename) ?? null,
        enableHls: body.enable_hls ?? false,
        enableThumbnail: body.enable_thumbnail ?? false,
        ...(body.user_metadata ? { userMetadata: body.user_metadata } : {}),
      },
      upload: {
        id: newAssetId(now.getTime()),
        filename: body.filename,
        fileType: body.type,
        totalSize: BigInt(body.total_size),
        chunkSize,
        totalChunks,
        expiresAt: new Date(now.getTime() + MULTIPART_LIMITS.sessionTtlMs),
      },
    }),
  );
  return {
    upload_id: upload.id,
    asset_id: upload.assetId,
    upload_urls: chunkUrls(deps.signer, origin, upload, 1, MULTIPART_LIMITS.initialUrlCount, now.getTime()),
    // Reelay's chunk URLs need no particular header.
    upload_headers: {},
    chunk_size: chunkSize,
    total_chunks: totalChunks,
    expires_at: upload.expiresAt.toISOString(),
  };
}
