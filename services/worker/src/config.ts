import { z } from "zod";
import { DEFAULT_DATABASE_URL } from "@reelay/db";

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
  /** How often unfinished jobs are checked for a live queue entry, ms. Default 30000. */
  RECONCILE_INTERVAL_MS: positiveInt.default(30_000),
  /**
   * How long a job's lock lasts without renewal, ms; a killed worker's running job is retried
   * by another after about this long. Default 30000 (BullMQ's default).
   */
  WORKER_LOCK_MS: positiveInt.default(30_000),
  /** Timeout of one platform call, seconds. Default 60. */
  UPSTREAM_TIMEOUT_S: positiveInt.default(60),
}).refine((c) => c.TWELVE_LABS_API_KEY || !c.TWELVELABS_BASE_URL.startsWith("https://api.twelvelabs.io"), {
  path: ["TWELVE_LABS_API_KEY"],
  message: "is required when TWELVELABS_BASE_URL is the real platform",
});
export type WorkerConfig = z.infer<typeof WorkerConfig>;
