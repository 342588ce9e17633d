import { z } from "zod";
import { classifyAddress, PrivateTargets } from "@reelay/net";
import { faultConfigFromEnv, FaultStatus } from "./http/fault-config.ts";

const envInt = (fallback: number, min = 0) =>
  z.preprocess((v) => (v === undefined || v === "" ? undefined : v), z.coerce.number().int().min(min).default(fallback));

const envBool = (fallback: boolean) =>
  z.preprocess(
    (v) => (v === undefined || v === "" ? undefined : typeof v === "string" ? !/^(0|false|off|no)$/i.test(v) : v),
    z.boolean().default(fallback),
  );

const envRate = z.preprocess((v) => (v === undefined || v === "" ? undefined : v), z.coerce.number().min(0).max(1).default(0));

const envOptionalInt = (min: number) => z.preprocess((v) => (v === undefined || v === "" ? undefined : v), z.coerce.number().int().min(min).optional());

/** `"250"` (fixed) or `"100-500"` (drawn uniformly in the range), in ms. */
const envLatency = z.preprocess(
  (v) => (v === undefined || v === "" ? undefined : typeof v === "string" ? v.split("-").map((part) => part.trim()) : v),
  z
    .union([z.tuple([z.coerce.number().int().min(0)]), z.tuple([z.coerce.number().int().min(0), z.coerce.number().int().min(0)])])
    .transform(([min, max = min]) => [min, max] as const)
    .refine(([min, max]) => min <= max, "must be MS or MIN-MAX with MIN <= MAX")
    .optional(),
);

/** The emulator's environment variables, parsed once by `main.ts` (or by `parseEmulatorConfig`). */
export const EmulatorEnv = z.object({
  /** Port to listen on. Default 4010; 0 picks a free port. */
  EMULATOR_PORT: envInt(4010),
  /** Interface to bind. Default 127.0.0.1 (loopback only). */
  EMULATOR_HOST: z.string().min(1).default("127.0.0.1"),
  /** When set, the only accepted `x-api-key`; otherwise any non-empty key is accepted. */
  EMULATOR_API_KEY: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(1).optional()),
  /** Time an item spends in each of `queued`, `pending` and (at least) `processing`. Default 1500 ms. */
  EMULATOR_ITEM_STAGE_MS: envInt(1500),
  /** Minimum time a new asset stays `processing`, on top of download and probe time. Default 1000 ms. */
  EMULATOR_ASSET_PROCESSING_MS: envInt(1000),
  /** Timeout of a `method=url` download. Default 120000 ms. */
  EMULATOR_DOWNLOAD_TIMEOUT_MS: envInt(120_000, 1),
  /**
   * Largest `method=url` download. Default 1 GiB: the platform takes 4 GiB, but an emulator's disk
   * and analysis time are better spent on test media; raise it to replay a real large file.
   */
  EMULATOR_MAX_URL_BYTES: envInt(1024 ** 3, 1),
  /** Largest `method=direct` upload. Default 200 MB, the platform's direct-upload limit. */
  EMULATOR_MAX_DIRECT_BYTES: envInt(200 * 1000 ** 2, 1),
  /** Timeout of one ffprobe/ffmpeg analysis run. Default 600000 ms. */
  EMULATOR_MEDIA_TIMEOUT_MS: envInt(600_000, 1),
  /**
   * Chunk size offered to multipart uploads. Default 5 MiB (the smallest S3 part); smaller values
   * make tests exercise many chunks with small files. Raised per upload to keep at most 10,000 chunks.
   */
  EMULATOR_MULTIPART_CHUNK_BYTES: envInt(5 * 1024 ** 2, 1),
  /** Run speech recognition (ffmpeg `asr`, pocketsphinx) on item audio. Default true. */
  EMULATOR_ASR: envBool(true),
  /** Parent of the emulator's temporary directory. Default the OS temp dir. */
  EMULATOR_DATA_DIR: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
  /** ffmpeg binary. Default `ffmpeg` from PATH. */
  EMULATOR_FFMPEG_PATH: z.string().min(1).default("ffmpeg"),
  /** ffprobe binary. Default `ffprobe` from PATH. */
  EMULATOR_FFPROBE_PATH: z.string().min(1).default("ffprobe"),
  /**
   * Which non-public addresses `method=url` may fetch, checked on every redirect hop after DNS
   * resolution: `none` (public internet only; use it whenever the emulator is reachable by others),
   * `loopback` (also 127.0.0.0/8 and ::1, which the local demo and tests serve from) or `all`.
   * Default `loopback`.
   */
  EMULATOR_ALLOW_PRIVATE_URLS: z.preprocess((v) => (v === "" ? undefined : v), PrivateTargets.default("loopback")),
  /** `method=url` downloads running at once; more wait their turn. Default 4. */
  EMULATOR_MAX_CONCURRENT_DOWNLOADS: envInt(4, 1),
  /** ffmpeg/ffprobe processes running at once; more wait their turn. Default 2. */
  EMULATOR_MAX_CONCURRENT_MEDIA: envInt(2, 1),
  /**
   * When set, `/admin` (fault plan and stats) requires it in the `x-admin-key` header. When unset,
   * `/admin` is open if the emulator listens on loopback only, and off otherwise.
   */
  EMULATOR_ADMIN_KEY: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(1).optional()),
  /** Share (0..1) of /v1.3 requests answered with a 5xx from EMULATOR_FAULT_5XX_STATUSES. Default 0. */
  EMULATOR_FAULT_5XX_RATE: envRate,
  /** Comma-separated statuses the 5xx faults pick from (500, 502, 503, 504). Default `500,502,503`. */
  EMULATOR_FAULT_5XX_STATUSES: z.preprocess(
    (v) => (v === undefined || v === "" ? undefined : typeof v === "string" ? v.split(",").map((part) => Number(part.trim())) : v),
    z.array(FaultStatus).min(1).default([500, 502, 503]),
  ),
  /** Share (0..1) of /v1.3 requests answered 429 `too_many_requests` with Retry-After. Default 0. */
  EMULATOR_FAULT_429_RATE: envRate,
  /** Retry-After (seconds) of injected 429s. Default 1. */
  EMULATOR_FAULT_RETRY_AFTER_S: envInt(1),
  /** Share (0..1) of /v1.3 requests accepted and never answered (the route does not run). Default 0. */
  EMULATOR_FAULT_TIMEOUT_RATE: envRate,
  /** How long a timed-out request is held before its connection is reset. Default: until the client gives up. */
  EMULATOR_FAULT_TIMEOUT_MS: envOptionalInt(1),
  /** Latency added to every /v1.3 request before its route runs: `250` or a range `100-500` (ms). Default none. */
  EMULATOR_FAULT_LATENCY_MS: envLatency,
  /** Share (0..1) of successful POSTs (creates) that run but answer 502 instead of their body. Default 0. */
  EMULATOR_FAULT_LOST_ANSWER_RATE: envRate,
  /** Seed of the fault PRNG, so a run can be replayed. Default: random (see `GET /admin/faults`). */
  EMULATOR_FAULT_SEED: envOptionalInt(0).pipe(z.number().max(0xffff_ffff).optional()),
  /**
   * Calls arriving this soon after a 429 are not counted as Retry-After violations: they were on
   * their way already (a gateway with calls in flight cannot recall them). Default 250 ms.
   */
  EMULATOR_RETRY_AFTER_GRACE_MS: envInt(250),
}).superRefine((env, ctx) => {
  const problem = exposureProblem(env.EMULATOR_HOST, env.EMULATOR_API_KEY);
  if (problem) ctx.addIssue({ code: "custom", path: ["EMULATOR_API_KEY"], message: problem });
});

export const EmulatorConfig = EmulatorEnv.transform((env) => ({
  port: env.EMULATOR_PORT,
  host: env.EMULATOR_HOST,
  apiKey: env.EMULATOR_API_KEY,
  itemStageMs: env.EMULATOR_ITEM_STAGE_MS,
  assetProcessingMs: env.EMULATOR_ASSET_PROCESSING_MS,
  downloadTimeoutMs: env.EMULATOR_DOWNLOAD_TIMEOUT_MS,
  maxUrlBytes: env.EMULATOR_MAX_URL_BYTES,
  maxDirectBytes: env.EMULATOR_MAX_DIRECT_BYTES,
  mediaTimeoutMs: env.EMULATOR_MEDIA_TIMEOUT_MS,
  multipartChunkBytes: env.EMULATOR_MULTIPART_CHUNK_BYTES,
  asr: env.EMULATOR_ASR,
  dataDir: env.EMULATOR_DATA_DIR,
  ffmpegPath: env.EMULATOR_FFMPEG_PATH,
  ffprobePath: env.EMULATOR_FFPROBE_PATH,
  allowPrivateUrls: env.EMULATOR_ALLOW_PRIVATE_URLS,
  maxConcurrentDownloads: env.EMULATOR_MAX_CONCURRENT_DOWNLOADS,
  maxConcurrentMedia: env.EMULATOR_MAX_CONCURRENT_MEDIA,
  adminKey: env.EMULATOR_ADMIN_KEY,
  faults: faultConfigFromEnv({
    error5xxRate: env.EMULATOR_FAULT_5XX_RATE,
    error5xxStatuses: env.EMULATOR_FAULT_5XX_STATUSES,
    tooManyRequestsRate: env.EMULATOR_FAULT_429_RATE,
    retryAfterS: env.EMULATOR_FAULT_RETRY_AFTER_S,
    timeoutRate: env.EMULATOR_FAULT_TIMEOUT_RATE,
    timeoutHoldMs: env.EMULATOR_FAULT_TIMEOUT_MS,
    latencyMs: env.EMULATOR_FAULT_LATENCY_MS,
    lostAnswerRate: env.EMULATOR_FAULT_LOST_ANSWER_RATE,
    seed: env.EMULATOR_FAULT_SEED,
  }),
  retryAfterGraceMs: env.EMULATOR_RETRY_AFTER_GRACE_MS,
}));
export type EmulatorConfig = z.output<typeof EmulatorConfig>;

/** Parses environment variables (default: none set, i.e. all defaults) into a typed config. */
export function parseEmulatorConfig(env: Record<string, string | undefined> = {}): EmulatorConfig {
  return EmulatorConfig.parse(env);
}

/** `localhost`, 127.0.0.0/8 and ::1 (in any notation) are loopback; `0.0.0.0` and `::` are every interface. */
export function isLoopbackHost(host: string): boolean {
  return host.toLowerCase() === "localhost" || classifyAddress(host.replace(/^\[(.*)\]$/, "$1")) === "loopback";
}

/**
 * An emulator reachable beyond loopback with no API key accepts any key, so anyone who can reach
 * it can make it download URLs and run ffmpeg. Checked on the environment and again by
 * `startEmulator`, whose options can change the host. Returns what is wrong with EMULATOR_API_KEY.
 */
export function exposureProblem(host: string, apiKey: string | undefined): string | undefined {
  if (apiKey !== undefined || isLoopbackHost(host)) return undefined;
  return `must be set when EMULATOR_HOST (${host}) is not a loopback address; otherwise anyone who can reach the emulator can use it`;
}
