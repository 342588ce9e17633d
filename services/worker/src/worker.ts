import { Worker, type Job as BullJob, type Queue } from "bullmq";
import { createLogger, logFn, withLogContext, type Metrics } from "@reelay/telemetry";
import type { Redis } from "ioredis";
import type { PrismaClient } from "@reelay/db";
import type { EventHub } from "@reelay/domain";
import { QUEUE_NAME, WEBHOOK_QUEUE_NAME, type PollSchedule } from "@reelay/jobs";
import { deleteUpstreamAsset } from "./assets/delete-upstream-asset.ts";
import { ingestAsset } from "./assets/ingest-asset.ts";
import { syncAssetMetadata } from "./assets/sync-asset-metadata.ts";
import { transcribeAsset } from "./assets/transcribe-asset.ts";
import { cleanUpAsset } from "./cleanup/clean-up-asset.ts";
import { cleanUpItem } from "./cleanup/clean-up-item.ts";
import { sweepBlobs } from "./cleanup/sweep-blobs.ts";
import { indexItem } from "./items/index-item.ts";
import { watchStoreItems, type WatchTuning } from "./items/watch-store-items.ts";
import { createUpstreamKnowledgeStore } from "./knowledge-stores/create-upstream-knowledge-store.ts";
import { deleteUpstreamKnowledgeStore } from "./knowledge-stores/delete-upstream-knowledge-store.ts";
import { runSearch } from "./knowledge-stores/run-search.ts";
import { updateUpstreamKnowledgeStore } from "./knowledge-stores/update-upstream-knowledge-store.ts";
import { deleteUpstreamItem } from "./items/delete-upstream-item.ts";
import { deleteUpstreamCollection } from "./collections/delete-upstream-collection.ts";
import { syncCollection } from "./collections/sync-collection.ts";
import { sweepMultipartUploads } from "./multipart-uploads/sweep-multipart-uploads.ts";
import type { PlatformClient } from "./platform/platform-client.ts";
import { reconcileJobs } from "./reconcile/reconcile-jobs.ts";
import { createRelay } from "./relay/relay-events.ts";
import { createAnswerResponse } from "./responses/answer-response.ts";
import { createResponseEventPublisher } from "./responses/response-event-publisher.ts";
import { createStepRunner } from "./steps/run-step.ts";
import { createDeliveryProcessor } from "./webhooks/deliver-batch.ts";
import type { PostWebhook } from "./webhooks/post-webhook.ts";
import { reconcileDeliveries } from "./webhooks/reconcile-deliveries.ts";

export interface WorkerDeps {
  prisma: PrismaClient;
  /** A connection with maxRetriesPerRequest null (BullMQ's requirement for workers). */
  connection: Redis;
  queue: Queue;
  webhookQueue: Queue;
  /** Wakes the relay when events commit (in any process). */
  hub: EventHub;
  platform: PlatformClient;
  /** Sends one webhook request (SSRF-guarded, bounded by a time-out). */
  postWebhook: PostWebhook;
  prefix: string;
  blobDir: string;
  concurrency: number;
  webhookConcurrency: number;
  webhookRetryScheduleMs: readonly number[];
  /** How long a delivery claim lasts (see WEBHOOK_LEASE_MS). */
  webhookLeaseMs: number;
  pollSchedule: PollSchedule;
  reconcileIntervalMs: number;
  /** BullMQ lockDuration (and stall check interval), ms; also a step's lease on its job row. */
  lockMs: number;
  /** Time-outs of a platform call and of a direct upload, ms (how long a sent create may be in flight). */
  callTimeoutMs: number;
  uploadTimeoutMs: number;
  /** Scales the waits after failed steps (STEP_RETRY_SCALE). */
  retryScale: number;
  /** How store watchers pace their looks (WATCH_*, ITEM_SAFETY_POLL_MS). */
  watch: WatchTuning;
  /** Sweeping of uploads nothing will send: how often, and from what age for temporary files. */
  blobSweepIntervalMs: number;
  blobOrphanAgeMs: number;
  /** Counters of platform calls and webhook deliveries (the process's registry). */
  metrics?: Metrics;
  log?: (message: string, error?: unknown) => void;
}

/**
 * The worker process's parts: the job steps, the outbox relay, webhook delivery (its own queue and
 * concurrency, so slow receivers never hold job slots) and the reconcilers that redo from Postgres
 * whatever Redis lost.
 */
export function createWorker(deps: WorkerDeps) {
  const log = deps.log ?? logFn(createLogger("worker"));
  const runStep = createStepRunner({
    queue: deps.queue,
    prisma: deps.prisma,
    platform: deps.platform,
    blobDir: deps.blobDir,
    pollSchedule: deps.pollSchedule,
    handlers: {
      "asset.ingest": ingestAsset,
      "knowledge_store.create": createUpstreamKnowledgeStore,
      "item.index": indexItem,
      "knowledge_store.watch_items": watchStoreItems,
      "response.create": createAnswerResponse({ events: createResponseEventPublisher(deps.connection, deps.prefix, log) }),
      "asset.cleanup": cleanUpAsset,
      "item.cleanup": cleanUpItem,
      "knowledge_store.update": updateUpstreamKnowledgeStore,
      "knowledge_store.delete": deleteUpstreamKnowledgeStore,
      "item.delete": deleteUpstreamItem,
      "collection.sync": syncCollection,
      "collection.delete": deleteUpstreamCollection,
      "search.run": runSearch,
      "asset.delete": deleteUpstreamAsset,
      "asset.sync_metadata": syncAssetMetadata,
      "asset.transcribe": transcribeAsset,
    },
    leaseMs: deps.lockMs,
    callTimeoutMs: deps.callTimeoutMs,
    uploadTimeoutMs: deps.uploadTimeoutMs,
    retryScale: deps.retryScale,
    watch: deps.watch,
    log,
  });
  const lock = { lockDuration: deps.lockMs, stalledInterval: deps.lockMs, autorun: false };
  // Every line a step logs names its job.
  const step = (job: BullJob, token?: string) => withLogContext({ job_id: String((job.data as { jobId?: unknown })?.jobId ?? ""), job_type: job.name }, () => runStep(job, token));
  const worker = new Worker(QUEUE_NAME, step, { connection: deps.connection, prefix: deps.prefix, concurrency: deps.concurrency, ...lock });
  const deliverBatch = createDeliveryProcessor({ prisma: deps.prisma, post: deps.postWebhook, retryScheduleMs: deps.webhookRetryScheduleMs, leaseMs: deps.webhookLeaseMs, log, ...(deps.metrics ? { metrics: deps.metrics } : {}) });
  const webhookWorker = new Worker(WEBHOOK_QUEUE_NAME, deliverBatch, { connection: deps.connection, prefix: deps.prefix, concurrency: deps.webhookConcurrency, ...lock });
  for (const w of [worker, webhookWorker]) {
    w.on("failed", (job, error) => log(`${job?.name ?? "job"} ${job?.id ?? ""} failed: ${error.message}`));
    w.on("error", (error) => log(`worker error: ${error.message}`));
  }
  const relay = createRelay({ prisma: deps.prisma, hub: deps.hub, queue: deps.queue, webhookQueue: deps.webhookQueue, log });

  let timer: NodeJS.Timeout | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  let reconciling: Promise<unknown> | undefined;
  const sweep = () =>
    Promise.all([
      sweepBlobs({ prisma: deps.prisma, blobDir: deps.blobDir, log: (m) => log(m) }, deps.blobOrphanAgeMs).catch((error: unknown) => log("blob sweep failed", error)),
      sweepMultipartUploads({ prisma: deps.prisma, blobDir: deps.blobDir, log: (m) => log(m) }, deps.blobOrphanAgeMs).catch((error: unknown) => log("multipart sweep failed", error)),
    ]);
  const reconcile = () => {
    // A pass still running (a large backlog) is not overlapped by the next one.
    reconciling ??= Promise.all([
      reconcileJobs({ prisma: deps.prisma, queue: deps.queue, log: (m) => log(m) }),
      reconcileDeliveries({ prisma: deps.prisma, webhookQueue: deps.webhookQueue, log: (m) => log(m) }),
    ])
      .catch((error: unknown) => log("reconciler failed", error))
      .finally(() => (reconciling = undefined));
    return reconciling;
  };

  return {
    async start(): Promise<void> {
      void worker.run();
      void webhookWorker.run();
      await Promise.all([worker.waitUntilReady(), webhookWorker.waitUntilReady()]);
      relay.start();
      await reconcile();
      timer = setInterval(() => void reconcile(), deps.reconcileIntervalMs);
      timer.unref();
      void sweep();
      sweepTimer = setInterval(() => void sweep(), deps.blobSweepIntervalMs);
      sweepTimer.unref();
    },
    /** Stops fetching, lets running steps finish, then returns. */
    async close(): Promise<void> {
      if (timer) clearInterval(timer);
      if (sweepTimer) clearInterval(sweepTimer);
      await reconciling;
      await relay.close();
      await Promise.all([worker.close(), webhookWorker.close()]);
    },
    reconcile,
    relay,
  };
}
