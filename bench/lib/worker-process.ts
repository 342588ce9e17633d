import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BenchStack } from "./bench-stack.ts";

const workerMain = fileURLToPath(new URL("../../services/worker/src/main.ts", import.meta.url));

/**
 * Reelay's worker in a process of its own (services/worker/src/main.ts, as deployed), wired to a
 * bench stack started without one, so its RSS can be read apart from the API's and the emulator's.
 * Its output goes to stderr.
 */
export function startWorkerProcess(stack: BenchStack, options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}) {
  const config = stack.workerConfig;
  const child = fork(workerMain, [], {
    // nodeArgs: e.g. ["--cpu-prof", "--cpu-prof-dir=/tmp/profiles"] to see where the worker's time goes.
    execArgv: ["--import", "tsx", ...(options.nodeArgs ?? [])],
    stdio: ["ignore", 2, 2, "ipc"],
    env: {
      ...process.env,
      DATABASE_URL: config.DATABASE_URL,
      REDIS_URL: config.REDIS_URL,
      QUEUE_PREFIX: config.QUEUE_PREFIX,
      BLOB_DIR: config.BLOB_DIR,
      TWELVELABS_BASE_URL: config.TWELVELABS_BASE_URL,
      WEBHOOK_PRIVATE_TARGETS: config.WEBHOOK_PRIVATE_TARGETS,
      ...options.env,
    },
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    pid: child.pid!,
    /** SIGTERM (the worker closes cleanly), SIGKILL if it has not exited within 15 s. */
    async stop(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
