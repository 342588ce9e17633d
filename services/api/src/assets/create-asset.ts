import { rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Queue } from "bullmq";
import { AppError, mediaTypeForName, newAssetId, type CreateAssetForm } from "@reelay/contract";
import type { Asset, Job, PrismaClient } from "@reelay/db";
import { createAssetRecord } from "@reelay/domain";
import { dispatchAfterCommit } from "@reelay/jobs";

export interface UploadedFile {
  path: string;
  originalname: string;
  mimetype: string;
  size: number;
}

export interface CreateAssetDeps {
  prisma: PrismaClient;
  queue: Queue;
  blobDir: string;
  log: (message: string, error?: unknown) => void;
}

function filenameFromUrl(url: string): string {
  const last = new URL(url).pathname.split("/").filter(Boolean).pop();
  try {
    return last ? decodeURIComponent(last) : "asset";
  } catch {
    return last ?? "asset";
  }
}

/**
 * Records the asset and its ingest job in one transaction, then dispatches the job. The worker
 * creates it upstream; the API never calls the platform.
 */
export async function createAsset(deps: CreateAssetDeps, tenantId: string, form: CreateAssetForm, file: UploadedFile | undefined): Promise<{ asset: Asset; job: Job }> {
  if (form.method === "direct" && !file) {
    throw new AppError({
      code: "asset/file_missing",
      platformCode: "parameter_not_provided",
      status: 400,
      message: "The file parameter is required when method is direct.",
      errors: [{ field: "file", message: "required when method is direct" }],
    });
  }
  if (form.method === "url" && file) await rm(file.path, { force: true });

  const id = newAssetId();
  const direct = form.method === "direct" && file ? file : undefined;
  const filename = form.filename ?? (direct ? direct.originalname : filenameFromUrl(form.url!));
  const blobKey = direct ? id : null;
  if (direct) await rename(direct.path, path.join(deps.blobDir, id));

  try {
    const created = await deps.prisma.$transaction((tx) =>
      createAssetRecord(tx, {
        id,
        tenantId,
        method: form.method,
        filename,
        fileType: direct?.mimetype && direct.mimetype !== "application/octet-stream" ? direct.mimetype : (mediaTypeForName(filename) ?? null),
        sourceUrl: form.method === "url" ? form.url! : null,
        blobKey,
        size: direct ? BigInt(direct.size) : null,
        enableHls: form.enable_hls ?? false,
        enableThumbnail: form.enable_thumbnail ?? false,
        ...(form.user_metadata ? { userMetadata: form.user_metadata } : {}),
      }),
    );
    await dispatchAfterCommit(deps.queue, created.job, (error) => deps.log(`asset ${id}: dispatch deferred to the reconciler`, error));
    return created;
  } catch (error) {
    if (blobKey) await rm(path.join(deps.blobDir, blobKey), { force: true });
    throw error;
  }
}
