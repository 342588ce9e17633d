import { spawn } from "node:child_process";
import { ConcurrencyLimit } from "../concurrency-limit.ts";

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunToolOptions {
  signal: AbortSignal;
  /** Time limit of the process itself; waiting for a place under `limit` does not count. */
  timeoutMs: number;
  /**
   * Caps how many ffmpeg/ffprobe processes run at once: pass the instance's `ctx.limits.media`.
   * Without it the run takes a place in a process-wide limit of 2 (the default of
   * EMULATOR_MAX_CONCURRENT_MEDIA), so a caller that forgets is slowed, never uncapped.
   */
  limit?: ConcurrencyLimit;
  /** Bytes of stdout kept; analysis output beyond it is dropped. Default 16 MiB. */
  maxStdout?: number;
}

const STDERR_TAIL = 16 * 1024;

/** For callers that pass no `limit`; see {@link RunToolOptions.limit}. */
const fallbackLimit = new ConcurrencyLimit(2);

/**
 * Prepended to every run. The input is a tenant's file, and media formats can point elsewhere
 * (an HLS playlist names segment URLs, a concat list names files): with this, ffmpeg opens local
 * files and pipes only, never a network URL on the tenant's behalf. As the first arguments it
 * applies to the one input every analysis has, and as a generic option ffprobe accepts it too.
 */
export const PROTOCOL_WHITELIST = ["-protocol_whitelist", "file,pipe"] as const;

/**
 * Runs ffmpeg/ffprobe without a shell, once `options.limit` has a free place; resolves with the exit
 * code, rejects only if it cannot start or is aborted.
 */
export function runTool(command: string, args: string[], options: RunToolOptions): Promise<ToolResult> {
  return (options.limit ?? fallbackLimit).run(options.signal, () => spawnTool(command, [...PROTOCOL_WHITELIST, ...args], options));
}

function spawnTool(command: string, args: string[], options: RunToolOptions): Promise<ToolResult> {
  const maxStdout = options.maxStdout ?? 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      if (stdout.length < maxStdout) stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      // Only the tail matters: ffmpeg puts the reason for a failure last.
      stderr = (stderr + chunk).slice(-STDERR_TAIL);
    });
    child.on("error", (error) => reject(error));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The last meaningful line of ffmpeg's stderr, for error messages. */
export function lastLine(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.at(-1) ?? "no diagnostic output";
}
