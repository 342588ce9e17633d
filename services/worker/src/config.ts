import { z } from "zod";
import { DEFAULT_DATABASE_URL } from "@reelay/db";
import { PrivateTargets } from "@reelay/net";
import { DEFAULT_RETRY_SCHEDULE_MS } from "./webhooks/retry-schedule.ts";

const positiveInt = z.coerce.number().int().positive();

export const WorkerConfig = z.object({
  DATABASE_URL: z.string().url().default(DEFAULT_DATABASE_URL),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  /** Redis key prefix of the job queue; must match the API's. Default "reelay". */
  QUEUE_PREFIX: z.string().min(1).default("reelay"),
  /** Directory where the API leaves direct uploads. Default ".data/blobs". */
  BLOB_DIR: z.string().min(1).default(".data/blobs"),
  /** The platform, including the version path. Default the real one. */
  TWELVELABS_BASE_URL: z.string().url().default("https://api.twelvelabs.io/v1.3"),
  /** The platform key Reelay uses for all tenants. Required against the real platform. */
  TWELVE_LABS_API_KEY: z.string().min(1).optional(),
  /** Jobs run at once by this process. Default 8. */
  WORKER_CONCURRENCY: positiveInt.default(8),
  /** First poll delay, ms. Default 1000. */
  POLL_INITIAL_MS: positiveInt.default(1_000),
  /** Longest poll delay, ms. Default 30000. */
  POLL_MAX_MS: positiveInt.default(30_000),
  /** Growth of the poll delay per poll. Default 1.6. */
  POLL_FACTOR: z.coerce.number().min(1).default(1.6),
  /**
   * Scales every wait after a failed step (the catalog's retry delays, the pause while the platform
   * refuses our credentials); tests shrink it. Default 1.
   */
  STEP_RETRY_SCALE: z.coerce.number().positive().max(1).default(1),
  /**
   * Longest wait between two looks of a store's watcher at the items being indexed (one list call
   * for the whole store), ms. Default 5000.
   */
  WATCH_INTERVAL_MAX_MS: positiveInt.default(5_000),
  /** Shortest wait between two looks (right after something changed), ms. Default 1000. */
  WATCH_INTERVAL_MIN_MS: positiveInt.default(1_000),
  /** Each item's own look at the platform while its store is watched (the safety net), ms. Default 300000. */
  ITEM_SAFETY_POLL_MS: positiveInt.default(300_000),
  /** How often unfinished jobs are checked for a live queue entry, ms. Default 30000. */
  RECONCILE_INTERVAL_MS: positiveInt.default(30_000),
  /**
   * How long a job's lock lasts without renewal, ms; a killed worker's running job is retried
   * by another after about this long. Default 30000 (BullMQ's default).
   */
  WORKER_LOCK_MS: positiveInt.default(30_000),
  /** Timeout of one platform call, seconds. Default 60. */
  UPSTREAM_TIMEOUT_S: positiveInt.default(60),
  /** Timeout of a direct upload to the platform (the file travels in the call), seconds. Default 900. */
  UPSTREAM_UPLOAD_TIMEOUT_S: positiveInt.default(900),
  /**
   * Largest file sent to the platform in one direct upload, bytes; larger files (direct uploads
   * and multipart uploads to Reelay alike) go by the platform's multipart flow, resumably.
   * Default 200 MB, the platform's direct-upload limit.
   */
  DIRECT_UPLOAD_MAX_BYTES: positiveInt.default(200 * 1024 * 1024),
  /**
   * Calls per second the platform account may receive from all workers together (a token bucket
   * in Redis); 0 means no budget, only the platform's own 429s. Default 0.
   */
  PLATFORM_MAX_CALLS_PER_S: z.coerce.number().min(0).default(0),
  /** Port of the worker's own /metrics when it runs alone (0 or unset: none). */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Interface of the worker's /metrics. Default 127.0.0.1. */
  WORKER_METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  /** How often uploads nothing will send are swept from BLOB_DIR, ms. Default 600000. */
  BLOB_SWEEP_INTERVAL_MS: positiveInt.default(600_000),
  /** An interrupted upload's temporary file is swept once it is this old, ms. Default 3600000. */
  BLOB_ORPHAN_AGE_MS: positiveInt.default(3_600_000),
  /** Webhook batches sent at once by this process (each to one endpoint). Default 32. */
  WEBHOOK_CONCURRENCY: positiveInt.default(32),
  /** Time a receiver has to answer one delivery, ms. Default 15000. */
  WEBHOOK_TIMEOUT_MS: positiveInt.default(15_000),
  /**
   * How long a sender's claim on a delivery lasts, ms: a worker killed mid-delivery has it sent
   * again after this. Keep it above WEBHOOK_TIMEOUT_MS. Default 60000.
   */
  WEBHOOK_LEASE_MS: positiveInt.default(60_000),
  /**
   * Delays after each failed delivery attempt, ms, comma-separated. Default the published schedule:
   * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h (ten attempts over about 75 hours).
   */
  WEBHOOK_RETRY_SCHEDULE_MS: z
    .string()
    .regex(/^\d+(,\d+)*$/, "comma-separated milliseconds")
    .transform((list) => list.split(",").map(Number))
    .default([...DEFAULT_RETRY_SCHEDULE_MS]),
  /**
   * Which non-public webhook receivers are delivered to: `none` (public addresses only),
   * `loopback`, or `all`. Checked on the resolved address of every connection. Default `none`.
   */
  WEBHOOK_PRIVATE_TARGETS: PrivateTargets.default("none"),
}).refine((c) => c.TWELVE_LABS_API_KEY || !c.TWELVELABS_BASE_URL.startsWith("https://api.twelvelabs.io"), {
  path: ["TWELVE_LABS_API_KEY"],
  message: "is required when TWELVELABS_BASE_URL is the real platform",
});
export type WorkerConfig = z.infer<typeof WorkerConfig>;
