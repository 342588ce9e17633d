import { fork } from "node:child_process";

export type LoadTask =
  | { kind: "throughput"; url: string; headers: Record<string, string>; connections: number; durationS: number }
  | { kind: "fixed-rate"; url: string; headers: Record<string, string>; ratePerS: number; durationS: number; maxConnections: number }
  | {
      kind: "upload";
      url: string;
      headers: Record<string, string>;
      filePath: string;
      /** Send the file as the `fileField` part of a multipart form with these text fields; raw otherwise. */
      multipart?: { fields: Record<string, string>; fileField: string; filename: string };
    };

export interface LoadResult {
  /** Answers received per second of the run. */
  requestsPerS: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** Answers by HTTP status, e.g. `{ "200": 51234 }`. */
  statuses: Record<string, number>;
  /** Connection errors and time-outs (no answer at all). */
  errors: number;
}

export interface UploadResult {
  status: number;
  ms: number;
  body: string;
}

type Outcome<T> = { ok: true; result: T } | { ok: false; error: string };

/**
 * Runs one load task in a fresh child process (load-generator.ts) and returns what it measured.
 * The child has its own event loop and heap, so the client's work is not charged to the server
 * running in this process: not its CPU time, not its RSS.
 */
export function runLoad(task: Extract<LoadTask, { kind: "upload" }>): Promise<UploadResult>;
export function runLoad(task: Exclude<LoadTask, { kind: "upload" }>): Promise<LoadResult>;
export function runLoad(task: LoadTask): Promise<LoadResult | UploadResult> {
  const child = fork(new URL("./load-generator.ts", import.meta.url).pathname, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", 2, 2, "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", (message: Outcome<LoadResult | UploadResult>) => {
      child.kill();
      if (message.ok) resolve(message.result);
      else reject(new Error(`load generator: ${message.error}`));
    });
    child.once("exit", (code) => reject(new Error(`load generator exited with ${code} before answering`)));
    child.once("error", reject);
    child.send(task);
  });
}

/** `200: 51234, 503: 2` */
export const describeStatuses = (statuses: Record<string, number>): string =>
  Object.entries(statuses)
    .map(([status, count]) => `${status}: ${count}`)
    .join(", ");
