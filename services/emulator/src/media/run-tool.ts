import { spawn } from "node:child_process";

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunToolOptions {
  signal: AbortSignal;
  timeoutMs: number;
  /** Bytes of stdout kept; analysis output beyond it is dropped. Default 16 MiB. */
  maxStdout?: number;
}

const STDERR_TAIL = 16 * 1024;

/** Runs ffmpeg/ffprobe without a shell; resolves with the exit code, rejects only if it cannot start or is aborted. */
export function runTool(command: string, args: string[], options: RunToolOptions): Promise<ToolResult> {
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
