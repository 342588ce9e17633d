import { Worker, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { PrismaClient } from "@reelay/db";
import { QUEUE_NAME, type PollSchedule } from "@reelay/jobs";
import { ingestAsset } from "./assets/ingest-asset.ts";
import { indexItem } from "./items/index-item.ts";
import { createUpstreamKnowledgeStore } from "./knowledge-stores/create-upstream-knowledge-store.ts";
import type { PlatformClient } from "./platform/platform-client.ts";
import { reconcileJobs } from "./reconcile/reconcile-jobs.ts";
import { answerResponse } from "./responses/answer-response.ts";
import { createStepRunner } from "./steps/run-step.ts";

export interface WorkerDeps {
  prisma: PrismaClient;
  /** A connection with maxRetriesPerRequest null (BullMQ's requirement for workers). */
  connection: Redis;
  queue: Queue;
  platform: PlatformClient;
  prefix: string;
  blobDir: string;
  concurrency: number;
  pollSchedule: PollSchedule;
  reconcileIntervalMs: number;
  /** BullMQ lockDuration (and stall check interval), ms. */
  lockMs: number;
  log?: (message: string, error?: unknown) => void;
}

export function createWorker(deps: WorkerDeps) {
  const log = deps.log ?? ((message: string, error?: unknown) => console.error(`[worker] ${message}`, error ?? ""));
  const runStep = createStepRunner({
    prisma: deps.prisma,
    platform: deps.platform,
    queue: deps.queue,
    blobDir: deps.blobDir,
    pollSchedule: deps.pollSchedule,
    handlers: {
      "asset.ingest": ingestAsset,
      "knowledge_store.create": createUpstreamKnowledgeStore,
      "item.index": indexItem,
      "response.create": answerResponse,
    },
    log,
  });
  const worker = new Worker(QUEUE_NAME, runStep, { connection: deps.connection, prefix: deps.prefix, concurrency: deps.concurrency,
    lockDuration: deps.lockMs,
    stalledInterval: deps.lockMs,
    autorun: false,
  });
  worker.on("failed", (job, error) => log(`${job?.name ?? "job"} ${job?.id ?? ""} failed: ${error.message}`));
  worker.on("error", (error) => log(`worker error: ${error.message}`));

  let timer: NodeJS.Timeout | undefined;
  let reconciling: Promise<unknown> = Promise.resolve();
  const reconcile = () => {
    reconciling = reconcileJobs({ prisma: deps.prisma, queue: deps.queue, log: (m) => log(m) }).catch((error: unknown) => log("reconciler failed", error));
    return reconciling;
  };

  return {
    async start(): Promise<void> {
      void worker.run();
      await worker.waitUntilReady();
      await reconcile();
      timer = setInterval(() => void reconcile(), deps.reconcileIntervalMs);
      timer.unref();
    },
    /** Stops fetching, lets running steps finish, then returns. */
    async close(): Promise<void> {
      if (timer) clearInterval(timer);
      await reconciling;
      await worker.close();
    },
    reconcile,
  };
}
