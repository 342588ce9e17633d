import { randomBytes } from "node:crypto";
import { AppError } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import type { MultipartUploadRecord } from "../state/emulator-state.ts";
import { getActiveUpload } from "./get-upload.ts";
import type { PresignedUrlsResponse } from "@reelay/contract";
import { URL_TTL_MS } from "./upload-limits.ts";

export interface IssuedUrl {
  chunkIndex: number;
  token: string;
  expiresAt: Date;
}

/** Where a chunk is PUT: served by the emulator itself, outside `/v1.3`, authorised by the token. */
export function chunkUrl(origin: string, uploadId: string, url: IssuedUrl): string {
  return `${origin}/uploads/${uploadId}/${url.chunkIndex}?token=${url.token}`;
}

/**
 * Issues one single-use URL per chunk in `[start, start + count)`. Earlier URLs stay valid:
 * the platform only promises fresh ones.
 */
export function issueUrls(upload: MultipartUploadRecord, start: number, count: number, now = new Date()): IssuedUrl[] {
  const expiresAt = new Date(Math.min(now.getTime() + URL_TTL_MS, upload.expiresAt.getTime()));
  const issued: IssuedUrl[] = [];
  for (let chunkIndex = start; chunkIndex < start + count && chunkIndex <= upload.totalChunks; chunkIndex += 1) {
    const token = randomBytes(24).toString("base64url");
    upload.urls.set(token, { chunkIndex, expiresAt, used: false });
    issued.push({ chunkIndex, token, expiresAt });
  }
  return issued;
}

/** `POST .../presigned-urls`: fresh URLs for chunks `start` to `start + count - 1`, all of which must exist. */
export function requestPresignedUrls(ctx: EmulatorContext, uploadId: string, origin: string, start: number, count: number): PresignedUrlsResponse {
  const upload = getActiveUpload(ctx, uploadId);
  if (start > upload.totalChunks || start + count - 1 > upload.totalChunks) {
    const message = `chunks ${start} to ${start + count - 1} are outside the upload's 1 to ${upload.totalChunks}.`;
    throw new AppError({
      code: "multipart_upload/invalid_range",
      platformCode: "parameter_invalid",
      status: 400,
      message: `The ${start > upload.totalChunks ? "start" : "count"} parameter is invalid: ${message}`,
      errors: [{ field: start > upload.totalChunks ? "start" : "count", message }],
    });
  }
  const now = new Date();
  const urls = issueUrls(upload, start, count, now);
  return {
    upload_id: upload.id,
    start_index: start,
    count: urls.length,
    upload_urls: urls.map((url) => ({ chunk_index: url.chunkIndex, url: chunkUrl(origin, upload.id, url), expires_at: url.expiresAt.toISOString() })),
    generated_at: now.toISOString(),
    expires_at: (urls[0]?.expiresAt ?? now).toISOString(),
  };
}
