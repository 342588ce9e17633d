import { createPrisma } from "@reelay/db";
import { EventHub } from "@reelay/domain";
import { createQueue, createWebhookQueue, createWorkerConnection } from "@reelay/jobs";
import { WorkerConfig } from "./config.ts";
import { createPlatformClient } from "./platform/platform-client.ts";
import { createPlatformLimiter } from "./platform/platform-limiter.ts";
import { OPERATOR_FAULT_TTL_S, operatorFaultKey } from "./platform/platform-health.ts";
import { createWebhookPoster } from "./webhooks/post-webhook.ts";
import { createServer } from "node:http";
import { createLogger, createMetrics, logFn, type Metrics } from "@reelay/telemetry";
import { createWorker } from "./worker.ts";

/** Wires the worker from its config; returns a handle that closes everything it opened. */
export async function startWorker(
  config: WorkerConfig,
  log?: (message: string, error?: unknown) => void,
  options: { metrics?: Metrics } = {},
): Promise<{ close: () => Promise<void> }> {
  const logger = createLogger("worker");
  const report = log ?? logFn(logger);
  const metrics = options.metrics ?? createMetrics("worker");
  const prisma = createPrisma(config.DATABASE_URL);
  const connection = createWorkerConnection(config.REDIS_URL);
  const queue = createQueue(connection, config.QUEUE_PREFIX, (error) => report(`queue: ${error.message}`));
  const webhookQueue = createWebhookQueue(connection, config.QUEUE_PREFIX, (error) => report(`webhook queue: ${error.message}`));
  const hub = new EventHub({ databaseUrl: config.DATABASE_URL, log: report });
  hub.start();
  let lastOperatorLog = 0;
  const platform = createPlatformClient({
    baseUrl: config.TWELVELABS_BASE_URL,
    apiKey: config.TWELVE_LABS_API_KEY ?? "reelay-emulator",
    timeoutMs: config.UPSTREAM_TIMEOUT_S * 1000,
    uploadTimeoutMs: config.UPSTREAM_UPLOAD_TIMEOUT_S * 1000,
    directUploadMaxBytes: config.DIRECT_UPLOAD_MAX_BYTES,
    limiter: createPlatformLimiter(connection, { prefix: config.QUEUE_PREFIX, callsPerSecond: config.PLATFORM_MAX_CALLS_PER_S }),
    report: (call) => {
      metrics.platformCalls.inc({ operation: call.operation, outcome: call.outcome });
      metrics.platformDuration.observe({ operation: call.operation }, call.ms / 1000);
      if (call.outcome !== "operator") return;
      // Reelay's own platform key is refused: every tenant waits. Say so loudly, and in /readyz.
      void connection.set(operatorFaultKey(config.QUEUE_PREFIX), JSON.stringify({ status: call.status, operation: call.operation, at: new Date().toISOString() }), "EX", OPERATOR_FAULT_TTL_S).catch(() => undefined);
      if (Date.now() - lastOperatorLog > 60_000) {
        lastOperatorLog = Date.now();
        report(`the platform refused Reelay's own credentials (HTTP ${call.status} on ${call.operation}): check TWELVE_LABS_API_KEY and the account; jobs are paused, not failed`);
      }
    },
  });
  const poster = createWebhookPoster({ privateTargets: config.WEBHOOK_PRIVATE_TARGETS, timeoutMs: config.WEBHOOK_TIMEOUT_MS });
  const worker = createWorker({
    prisma,
    connection,
    queue,
    webhookQueue,
    hub,
    platform,
    postWebhook: poster.post,
    prefix: config.QUEUE_PREFIX,
    blobDir: config.BLOB_DIR,
    concurrency: config.WORKER_CONCURRENCY,
    webhookConcurrency: config.WEBHOOK_CONCURRENCY,
    webhookRetryScheduleMs: config.WEBHOOK_RETRY_SCHEDULE_MS,
    webhookLeaseMs: config.WEBHOOK_LEASE_MS,
    pollSchedule: { initialMs: config.POLL_INITIAL_MS, maxMs: config.POLL_MAX_MS, factor: config.POLL_FACTOR, jitter: 0.2 },
    reconcileIntervalMs: config.RECONCILE_INTERVAL_MS,
    lockMs: config.WORKER_LOCK_MS,
    callTimeoutMs: config.UPSTREAM_TIMEOUT_S * 1000,
    uploadTimeoutMs: config.UPSTREAM_UPLOAD_TIMEOUT_S * 1000,
    retryScale: config.STEP_RETRY_SCALE,
    watch: {
      intervalMaxMs: config.WATCH_INTERVAL_MAX_MS,
      intervalMinMs: config.WATCH_INTERVAL_MIN_MS,
      itemSafetyPollMs: config.ITEM_SAFETY_POLL_MS,
    },
    metrics,
    blobSweepIntervalMs: config.BLOB_SWEEP_INTERVAL_MS,
    blobOrphanAgeMs: config.BLOB_ORPHAN_AGE_MS,
    log: report,
  });
  await worker.start();
  // A worker running on its own serves its metrics here (with the API, they share the API's /metrics).
  const metricsServer = config.WORKER_METRICS_PORT
    ? createServer((req, res) => {
        if (req.url !== "/metrics") return void res.writeHead(404).end();
        void metrics.registry.metrics().then((text) => res.writeHead(200, { "content-type": metrics.registry.contentType }).end(text));
      }).listen(config.WORKER_METRICS_PORT, config.WORKER_METRICS_HOST)
    : undefined;
  return {
    close: async () => {
      metricsServer?.close();
      await worker.close();
      await hub.close();
      poster.close();
      await queue.close();
      await webhookQueue.close();
      connection.disconnect();
      await prisma.$disconnect();
    },
  };
}
