import type { ConcurrencyLimit } from "../concurrency-limit.ts";

/** What every ffmpeg analysis needs: the binary, a cancellation signal, a time limit and its turn. */
export interface ToolRunOptions {
  ffmpegPath: string;
  signal: AbortSignal;
  timeoutMs: number;
  /** The instance's `ctx.limits.media`, shared by all its ffmpeg/ffprobe runs (see `runTool`). */
  limit?: ConcurrencyLimit;
}
