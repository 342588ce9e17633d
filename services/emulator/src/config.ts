import { z } from "zod";

const envInt = (fallback: number, min = 0) =>
  z.preprocess((v) => (v === undefined || v === "" ? undefined : v), z.coerce.number().int().min(min).default(fallback));

const envBool = (fallback: boolean) =>
  z.preprocess(
    (v) => (v === undefined || v === "" ? undefined : typeof v === "string" ? !/^(0|false|off|no)$/i.test(v) : v),
    z.boolean().default(fallback),
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
  /** Largest `method=url` download. Default 4 GiB, the platform's URL limit. */
  EMULATOR_MAX_URL_BYTES: envInt(4 * 1024 ** 3, 1),
  /** Largest `method=direct` upload. Default 200 MB, the platform's direct-upload limit. */
  EMULATOR_MAX_DIRECT_BYTES: envInt(200 * 1000 ** 2, 1),
  /** Timeout of one ffprobe/ffmpeg analysis run. Default 600000 ms. */
  EMULATOR_MEDIA_TIMEOUT_MS: envInt(600_000, 1),
  /** Run speech recognition (ffmpeg `asr`, pocketsphinx) on item audio. Default true. */
  EMULATOR_ASR: envBool(true),
  /** Parent of the emulator's temporary directory. Default the OS temp dir. */
  EMULATOR_DATA_DIR: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
  /** ffmpeg binary. Default `ffmpeg` from PATH. */
  EMULATOR_FFMPEG_PATH: z.string().min(1).default("ffmpeg"),
  /** ffprobe binary. Default `ffprobe` from PATH. */
  EMULATOR_FFPROBE_PATH: z.string().min(1).default("ffprobe"),
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
  asr: env.EMULATOR_ASR,
  dataDir: env.EMULATOR_DATA_DIR,
  ffmpegPath: env.EMULATOR_FFMPEG_PATH,
  ffprobePath: env.EMULATOR_FFPROBE_PATH,
}));
export type EmulatorConfig = z.output<typeof EmulatorConfig>;

/** Parses environment variables (default: none set, i.e. all defaults) into a typed config. */
export function parseEmulatorConfig(env: Record<string, string | undefined> = {}): EmulatorConfig {
  return EmulatorConfig.parse(env);
}
