/**
 * What the worker reads from the platform's multipart-upload answers, in the wire shape: only the
 * fields it relies on are named, the rest passes through (`loose`), as in upstream-schemas.ts.
 */
import { z } from "zod";

export const UpstreamChunkUrl = z.object({ chunk_index: z.number().int(), url: z.string(), expires_at: z.string().optional() }).loose();
export type UpstreamChunkUrl = z.infer<typeof UpstreamChunkUrl>;

export const UpstreamUploadSession = z
  .object({
    upload_id: z.string(),
    asset_id: z.string(),
    chunk_size: z.number().int().positive(),
    total_chunks: z.number().int().positive(),
    upload_urls: z.array(UpstreamChunkUrl).default([]),
    upload_headers: z.record(z.string(), z.string()).nullish(),
  })
  .loose();
export type UpstreamUploadSession = z.infer<typeof UpstreamUploadSession>;

export const UpstreamChunkUrls = z.object({ upload_urls: z.array(UpstreamChunkUrl).default([]) }).loose();

export const UpstreamChunkReport = z
  .object({ url: z.string().nullish(), processed_chunks: z.number().int().optional(), duplicate_chunks: z.number().int().optional(), total_completed: z.number().int().optional() })
  .loose();
export type UpstreamChunkReport = z.infer<typeof UpstreamChunkReport>;

export const UpstreamUploadStatus = z
  .object({
    status: z.string().optional(),
    uploaded_chunks: z.array(z.object({ index: z.number().int(), status: z.string().optional() }).loose()).default([]),
  })
  .loose();
export type UpstreamUploadStatus = z.infer<typeof UpstreamUploadStatus>;
