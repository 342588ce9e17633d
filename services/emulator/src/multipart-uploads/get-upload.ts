import { rm } from "node:fs/promises";
import { AppError, notFound } from "@reelay/contract";
import type { RequestHandler } from "express";
import type { EmulatorContext } from "../context.ts";
import type { MultipartUploadRecord } from "../state/emulator-state.ts";

export function getUpload(ctx: EmulatorContext, uploadId: string): MultipartUploadRecord {
  const upload = ctx.state.uploads.get(uploadId);
  if (!upload) throw notFound("multipart_upload", uploadId, "multipart uploads");
  expireIfDue(ctx, upload);
  return upload;
}

/** The upload, if chunks may still be uploaded and reported; otherwise a 400 saying why not. */
export function getActiveUpload(ctx: EmulatorContext, uploadId: string): MultipartUploadRecord {
  const upload = getUpload(ctx, uploadId);
  if (upload.status !== "active") throw notActive(upload);
  return upload;
}

export function notActive(upload: MultipartUploadRecord, status = 400): AppError {
  const why = {
    active: "it is active",
    completed: "every chunk was already reported",
    failed: "it failed (its asset was deleted); start a new upload",
    expired: `it expired at ${upload.expiresAt.toISOString()}; start a new upload`,
  }[upload.status];
  return new AppError({
    code: `multipart_upload/${upload.status}`,
    platformCode: "parameter_invalid",
    status,
    message: `The upload_id parameter is invalid: upload session ${upload.id} accepts no more chunks: ${why}.`,
  });
}

/**
 * Sessions expire 24 hours after creation. A timer does it in real time; every request also checks
 * the clock first, so what a client sees never lags behind (and tests can move the clock).
 */
export function expireStaleUploads(ctx: EmulatorContext): void {
  for (const upload of ctx.state.uploads.values()) expireIfDue(ctx, upload);
}

export function expireUploadsFirst(ctx: EmulatorContext): RequestHandler {
  return (_req, _res, next) => {
    expireStaleUploads(ctx);
    next();
  };
}

function expireIfDue(ctx: EmulatorContext, upload: MultipartUploadRecord): void {
  if (upload.status !== "active" || Date.now() < upload.expiresAt.getTime()) return;
  upload.status = "expired";
  upload.updatedAt = new Date();
  const asset = ctx.state.assets.get(upload.assetId);
  if (asset?.status === "processing") {
    Object.assign(asset, { status: "failed", failure: "the multipart upload expired before every chunk was reported" });
  }
  discardChunks(ctx, upload);
}

/** The chunk files go; the session record stays so clients can still read why it ended. */
export function discardChunks(ctx: EmulatorContext, upload: MultipartUploadRecord): void {
  for (const chunk of upload.chunks) chunk.received = undefined;
  ctx.background.run(() => rm(upload.dir, { recursive: true, force: true }));
}
