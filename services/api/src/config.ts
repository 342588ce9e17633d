import { z } from "zod";
import { DEFAULT_DATABASE_URL } from "@reelay/db";
import { PrivateTargets } from "@reelay/net";

const port = z.coerce.number().int().min(0).max(65535);

/** 5 MiB: S3's smallest part, the chunk size the platform's emulator offers too. */
export const DEFAULT_MULTIPART_CHUNK_BYTES = 5 * 1024 * 1024;

export const ApiConfig = z.object({
  /** Port the API listens on. Default 3000. */
  PORT: port.default(3000),
  /** Interface to bind. Default 127.0.0.1; containers set 0.0.0.0. */
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z.string().url().default(DEFAULT_DATABASE_URL),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  /** Redis key prefix of the job queue. Default "reelay". */
  QUEUE_PREFIX: z.string().min(1).default("reelay"),
  /** Directory where direct uploads wait for the worker; shared with it. Default ".data/blobs". */
  BLOB_DIR: z.string().min(1).default(".data/blobs"),
  /** How long POST /responses waits for the worker's answer. Default 120000 ms. */
  RESPONSE_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
  /** Largest JSON body accepted. Default "1mb". */
  JSON_BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, "a size like 100kb or 1mb").default("1mb"),
  /** Largest direct upload, bytes. Default 200 MB, the platform's own limit. */
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(200 * 1024 * 1024),
  /**
   * The base URL clients reach the API at (scheme, host, optional path prefix, no `/v1.3`):
   * multipart uploads' chunk URLs are built from it. Set it behind a proxy or TLS terminator.
   * Default: the scheme and `Host` of each request.
   */
  REELAY_PUBLIC_URL: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//i.test(u), "must be an http or https URL")
    .transform((u) => u.replace(/\/+$/, ""))
    .optional(),
  /**
   * Chunk size offered to multipart uploads, bytes; larger for a file that would need over 10,000
   * chunks. Default 5 MiB (S3's smallest part, as the platform's emulator offers).
   */
  MULTIPART_CHUNK_BYTES: z.coerce.number().int().positive().max(2 ** 31 - 1).default(DEFAULT_MULTIPART_CHUNK_BYTES),
  /**
   * Secret that signs multipart chunk URLs (HMAC-SHA256), at least 32 characters; every API
   * instance of a deployment must share it. Default: a random one per process, so chunk URLs
   * handed out before a restart stop working (clients ask for fresh ones with `presigned-urls`).
   */
  MULTIPART_URL_SECRET: z.string().min(32).optional(),
  /**
   * Which non-public webhook receivers may be registered: `none` (public addresses only),
   * `loopback`, or `all`. Default `none`; `npm start` defaults it to `loopback` for local use.
   */
  WEBHOOK_PRIVATE_TARGETS: PrivateTargets.default("none"),
  /**
   * Requests per second one tenant may make, on average, across every API process (a token bucket
   * in Redis); 0 turns the limit off. Default 100.
   */
  TENANT_RATE_LIMIT_PER_S: z.coerce.number().min(0).default(100),
  /** Requests one tenant may make at once above the average. Default 200. */
  TENANT_RATE_LIMIT_BURST: z.coerce.number().int().positive().default(200),
  /** Opens the queue dashboard at /admin/queues to whoever presents it. Default: no dashboard. */
  ADMIN_API_KEY: z.string().min(16).optional(),
});
export type ApiConfig = z.infer<typeof ApiConfig>;
