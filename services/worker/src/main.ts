import { parseEnv } from "@reelay/contract";
import { createPrisma } from "@reelay/db";
import { createQueue, createWorkerConnection } from "@reelay/jobs";
import { WorkerConfig } from "./config.ts";
import { createPlatformClient } from "./platform/platform-client.ts";
import { createWorker } from "./worker.ts";

/** Wires the worker from its config; returns a handle that closes everything it opened. */
export async function startWorker(config: WorkerConfig, log?: (message: string, error?: unknown) => void): Promise<{ close: () => Promise<void> }> {
  const prisma = createPrisma(config.DATABASE_URL);
  const connection = createWorkerConnection(config.REDIS_URL);
  const queue = createQueue(connection, config.QUEUE_PREFIX, (error) => (log ?? console.error)(`[worker] queue: ${error.message}`));
  const platform = createPlatformClient({ baseUrl: config.TWELVELABS_BASE_URL, apiKey: config.TWELVE_LABS_API_KEY ?? "reelay-emulator", timeoutSeconds: config.UPSTREAM_TIMEOUT_S });
  const worker = createWorker({
    prisma,
    connection,
    queue,
    platform,
    prefix: config.QUEUE_PREFIX,
    blobDir: config.BLOB_DIR,
    concurrency: config.WORKER_CONCURRENCY,
    pollSchedule: { initialMs: config.POLL_INITIAL_MS, maxMs: config.POLL_MAX_MS, factor: config.POLL_FACTOR, jitter: 0.2 },
    reconcileIntervalMs: config.RECONCILE_INTERVAL_MS,
    lockMs: config.WORKER_LOCK_MS,
    ...(log ? { log } : {}),
  });
  await worker.start();
  return {
    close: async () => {
      await worker.close();
      await queue.close();
      connection.disconnect();
      await prisma.$disconnect();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const config = parseEnv(WorkerConfig, process.env, "worker");
  const worker = await startWorker(config);
  console.log(`[worker] processing jobs from ${config.TWELVELABS_BASE_URL}`);
  const stop = async () => {
    await worker.close();
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
