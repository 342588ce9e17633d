import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ApiConfig, type AppDeps } from "@reelay/api";
import { createPrisma } from "@reelay/db";
import { EventHub } from "@reelay/domain";
import { createProducerConnection, createQueue, createWebhookQueue } from "@reelay/jobs";

/**
 * The dependencies of `createApp`, real but idle, built the way `startApi` builds them: a Prisma
 * client (it connects on its first query), a Redis connection and both queues under a prefix of
 * their own, an event hub never started, and the API's configuration with its defaults. For tests
 * that drive `createApp` with supertest, or read its routes, without a whole stack.
 */
export async function createIdleAppDeps(
  options: { databaseUrl?: string; connectTimeoutMs?: number; env?: Record<string, string>; log?: AppDeps["log"] } = {},
): Promise<{ deps: AppDeps; close: () => Promise<void> }> {
  const blobDir = await mkdtemp(path.join(tmpdir(), "reelay-app-"));
  // Nothing listens on port 1: a test that never queries pays nothing, one that does sees Postgres down.
  const databaseUrl = options.databaseUrl ?? "postgresql://postgres@127.0.0.1:1/unreachable";
  const config = ApiConfig.parse({ DATABASE_URL: databaseUrl, BLOB_DIR: blobDir, QUEUE_PREFIX: `test-${randomBytes(4).toString("hex")}`, ...options.env });
  const prisma = createPrisma(databaseUrl, { connectTimeoutMs: options.connectTimeoutMs ?? 1_000 });
  const redis = createProducerConnection(process.env.REDIS_URL ?? config.REDIS_URL);
  // A producer connection refuses commands until it is ready (no offline queue): wait, as a served app would have.
  await new Promise<void>((resolve, reject) => (redis.status === "ready" ? resolve() : redis.once("ready", resolve).once("error", reject)));
  const queue = createQueue(redis, config.QUEUE_PREFIX);
  const webhookQueue = createWebhookQueue(redis, config.QUEUE_PREFIX);
  const hub = new EventHub({ databaseUrl });
  return {
    deps: { prisma, redis, queue, webhookQueue, hub, config, ...(options.log ? { log: options.log } : {}) },
    close: async () => {
      await hub.close();
      await queue.close();
      await webhookQueue.close();
      redis.disconnect();
      await prisma.$disconnect();
      await rm(blobDir, { recursive: true, force: true });
    },
  };
}
