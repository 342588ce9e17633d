/** Multipart uploads (`/assets/multipart-uploads`): large files sent in chunks. */
import { z } from "zod";
import { PageInfo, PageQuery, UserMetadata } from "./common-wire.ts";

export const UploadParams = z.object({ upload_id: z.string().min(1) });
export const UploadStatusQuery = PageQuery;
export const ListUploadsQuery = PageQuery;

export const UploadType = z.enum(["video", "audio", "image"]);

/** `POST /assets/multipart-uploads`; size limits per type are checked by the domain function. */
export const CreateUploadBody = z.object({
  filename: z.string().trim().min(1).max(255),
  type: UploadType,
  total_size: z.number().int().positive(),
  enable_hls: z.boolean().optional(),
  enable_thumbnail: z.boolean().optional(),
  user_metadata: UserMetadata.optional(),
});
export type CreateUploadBody = z.infer<typeof CreateUploadBody>;

export const CompletedChunk = z.object({
  chunk_index: z.number().int().min(1),
  proof: z.string().min(1),
  proof_type: z.literal("etag"),
  chunk_size: z.number().int().positive(),
});
export type CompletedChunk = z.infer<typeof CompletedChunk>;

/** `POST /assets/multipart-uploads/{upload_id}` */
export const ReportChunksBody = z.object({ completed_chunks: z.array(CompletedChunk).min(1) });

/** `POST /assets/multipart-uploads/{upload_id}/presigned-urls` */
export const PresignedUrlsBody = z.object({
  start: z.number().int().min(1),
  count: z.number().int().min(1).max(50),
});

export const PresignedUrlChunk = z.object({ chunk_index: z.number().int(), url: z.string(), expires_at: z.string() });

export const CreateUploadResponse = z.object({
  upload_id: z.string(),
  asset_id: z.string(),
  upload_urls: z.array(PresignedUrlChunk),
  upload_headers: z.record(z.string(), z.string()),
  chunk_size: z.number().int(),
  total_chunks: z.number().int(),
  expires_at: z.string(),
});
export type CreateUploadResponse = z.infer<typeof CreateUploadResponse>;

export const ReportChunksResponse = z.object({
  url: z.string().optional(),
  asset_id: z.string(),
  processed_chunks: z.number().int(),
  duplicate_chunks: z.number().int(),
  total_completed: z.number().int(),
});
export type ReportChunksResponse = z.infer<typeof ReportChunksResponse>;

export const PresignedUrlsResponse = z.object({
  upload_id: z.string(),
  start_index: z.number().int(),
  count: z.number().int(),
  upload_urls: z.array(PresignedUrlChunk),
  generated_at: z.string(),
  expires_at: z.string(),
});
export type PresignedUrlsResponse = z.infer<typeof PresignedUrlsResponse>;

export const UploadStatus = z.enum(["active", "completed", "failed", "expired"]);

export const ChunkInfo = z.object({
  index: z.number().int(),
  status: z.enum(["completed", "pending", "failed"]),
  /** `null` unless completed, as the platform documents. */
  uploaded_at: z.string().nullable(),
  updated_at: z.string().optional(),
  error: z.string().optional(),
});

export const UploadStatusResponse = z.object({
  upload_id: z.string(),
  status: UploadStatus,
  uploaded_chunks: z.array(ChunkInfo),
  chunks_completed: z.number().int(),
  chunks_failed: z.number().int(),
  chunks_pending: z.number().int(),
  page_info: PageInfo,
  total_size: z.number().int(),
  uploaded_size: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type UploadStatusResponse = z.infer<typeof UploadStatusResponse>;

export const IncompleteUploadSummary = z.object({
  upload_id: z.string(),
  status: UploadStatus,
  total_size: z.number().int(),
  chunk_size: z.number().int(),
  total_chunks: z.number().int(),
  created_at: z.string(),
  expires_at: z.string(),
});
export type IncompleteUploadSummary = z.infer<typeof IncompleteUploadSummary>;

/**
 * The platform's multipart rules (twelvelabs-js 1.3.4 docs), for every side that follows them:
 * the facade's own uploads, and the worker's uploads to the platform.
 */
export const MULTIPART_LIMITS = {
  /** A session can be completed for 24 hours after it is created. */
  sessionTtlMs: 24 * 60 * 60 * 1000,
  /** A chunk URL works for one hour (and never past its session). */
  urlTtlMs: 60 * 60 * 1000,
  /** URLs handed out with a new session; the rest come from `presigned-urls`. */
  initialUrlCount: 10,
  /** At most this many URLs per `presigned-urls` request. */
  maxUrlsPerRequest: 50,
  /** S3's part limit; the chunk size grows for files that would need more. */
  maxChunks: 10_000,
  /** Largest file per declared type: 10 GB for video and audio, 32 MB for images. */
  maxTotalSize: { video: 10 * 1024 ** 3, audio: 10 * 1024 ** 3, image: 32 * 1024 ** 2 },
} as const;
