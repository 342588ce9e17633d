import { mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TwelvelabsApiClient } from "twelvelabs-js";
import { createQueue, createWorkerConnection } from "@reelay/jobs";
import { makeSampleVideo, serveFiles, type FileServer } from "@reelay/sample-media";
import { ApiConfig, startApi } from "@reelay/api";
import { startWorker } from "@reelay/worker";
import { killHard, pollUntil, readJson, spawnWorker, startTestStack, stopGently, type TestStack } from "./support/stack.ts";

const mediaDir = path.resolve(".data/test-media");
let stack: TestStack;
let files: FileServer;
let platform: TwelvelabsApiClient;

beforeAll(async () => {
  await mkdir(mediaDir, { recursive: true });
  await makeSampleVideo(mediaDir);
  files = await serveFiles(mediaDir);
  // No worker in this process: each test starts (and kills) its own.
  stack = await startTestStack({ startWorker: false });
  platform = new TwelvelabsApiClient({ apiKey: "test", environment: stack.platformUrl });
});
afterAll(async () => {
  await stack?.close();
  await files?.close();
});

async function startFlow(apiKey: string) {
  const headers = { "x-api-key": apiKey };
  const json = { ...headers, "content-type": "application/json" };
  const form = new FormData();
  form.set("method", "url");
  form.set("url", files.url("sample.mp4"));
  const asset = await readJson(fetch(`${stack.base}/assets`, { method: "POST", headers, body: form }));
  const store = await readJson(fetch(`${stack.base}/knowledge-stores`, { method: "POST", headers: json, body: JSON.stringify({ name: "recovery" }) }));
  const item = await readJson(fetch(`${stack.base}/knowledge-stores/${store._id}/items`, { method: "POST", headers: json, body: JSON.stringify({ asset_id: asset._id }) }));
  const itemStatus = () => readJson(fetch(`${stack.base}/knowledge-stores/${store._id}/items/${item._id}`, { headers }));
  return { asset, store, item, itemStatus };
}

/** Runs an in-process worker until the flow's item is terminal; returns the item. */
async function finishWithWorker(flow: Awaited<ReturnType<typeof startFlow>>) {
  const worker = await startWorker(stack.workerConfig, () => {});
  try {
    return (await pollUntil(flow.itemStatus, (i) => i.status === "ready" || i.status === "failed")).last;
  } finally {
    await worker.close();
  }
}

/** The job rows of these resources and their BullMQ jobs' states: what a failed wait prints. */
async function jobsOf(resourceIds: string[]): Promise<string> {
  const jobs = await stack.prisma.job.findMany({ where: { resourceId: { in: resourceIds } }, orderBy: { createdAt: "asc" } });
  const connection = createWorkerConnection(stack.workerConfig.REDIS_URL);
  const queue = createQueue(connection, stack.workerConfig.QUEUE_PREFIX);
  try {
    const lines = await Promise.all(
      jobs.map(async (job) => {
        const queued = await queue.getJob(`${job.type}.${job.id}`);
        const state = queued ? await queued.getState() : "absent";
        const { id, type, status, stage, polls, attempts, nextPollAt, leaseUntil, createSentAt, lastError, updatedAt } = job;
        return JSON.stringify({ id, type, status, stage, polls, attempts, nextPollAt, leaseUntil, createSentAt, lastError, updatedAt, bullmq: state, delayUntil: queued ? queued.timestamp + queued.delay : null });
      }),
    );
    return `at ${new Date().toISOString()}, jobs:\n${lines.join("\n")}`;
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** How many objects upstream carry this Reelay id: exactly one means no create was repeated. */
async function upstreamCopies(reelayAssetId: string, reelayStoreId: string) {
  const assets = (await platform.assets.list({ pageLimit: 50 })).data.filter((a) => a.userMetadata?.reelay_id === reelayAssetId);
  const stores = (await platform.knowledgeStores.list({ pageLimit: 50 })).data.filter((s) => s.metadata?.reelay_id === reelayStoreId);
  const items = stores[0]?.id ? (await platform.knowledgeStoreItems.list(stores[0].id, { pageLimit: 50 })).data : [];
  return { assets: assets.length, stores: stores.length, items: items.length };
}

describe("crash recovery", () => {
  it("Redis losing every queued job loses no work: the reconciler dispatches from Postgres", async () => {
    const { apiKey } = await stack.newTenant();
    const flow = await startFlow(apiKey);
    const connection = createWorkerConnection(stack.workerConfig.REDIS_URL);
    const queue = createQueue(connection, stack.workerConfig.QUEUE_PREFIX);
    // Jobs carry their tenant's priority (fairness), so BullMQ keeps them as "prioritized".
    const queued = async () => Object.values(await queue.getJobCounts("waiting", "prioritized")).reduce((a, b) => a + b, 0);
    expect(await queued()).toBe(3);
    await queue.obliterate({ force: true });
    expect(await queued()).toBe(0);

    try {
      expect((await finishWithWorker(flow)).status).toBe("ready");
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  it("an API whose Redis is down still accepts work, promptly, and the worker later runs it from Postgres", async () => {
    const { apiKey } = await stack.newTenant();
    const api = await startApi(ApiConfig.parse({ DATABASE_URL: stack.databaseUrl, REDIS_URL: "redis://127.0.0.1:1", PORT: "0", BLOB_DIR: stack.blobDir }));
    let storeId: string;
    try {
      const started = Date.now();
      const res = await fetch(`${api.url}/v1.3/knowledge-stores`, { method: "POST", headers: { "x-api-key": apiKey, "content-type": "application/json" }, body: JSON.stringify({ name: "no-redis" }) });
      expect(res.status).toBe(201);
      expect(Date.now() - started).toBeLessThan(10_000); // bounded by the dispatch timeout, not a hang
      storeId = (await readJson(res))._id;
      const ready = await fetch(`${api.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await readJson(ready)).toMatchObject({ status: "unavailable", checks: { postgres: { ok: true }, redis: { ok: false } } });
    } finally {
      await api.close();
    }
    const worker = await startWorker(stack.workerConfig, () => {});
    try {
      const { last } = await pollUntil(() => stack.prisma.knowledgeStore.findUniqueOrThrow({ where: { id: storeId } }), (s) => s.syncStatus !== "pending");
      expect(last.syncStatus).toBe("synced");
    } finally {
      await worker.close();
    }
  });

  it("an API whose database is down answers 503 with Retry-After, not a bare 500", async () => {
    const api = await startApi(ApiConfig.parse({ DATABASE_URL: "postgresql://postgres@127.0.0.1:1/nowhere", PORT: "0", BLOB_DIR: stack.blobDir }));
    try {
      const res = await fetch(`${api.url}/v1.3/assets`, { headers: { "x-api-key": "rly_any" } });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(await readJson(res)).toMatchObject({ code: "service_unavailable", status: 503 });
      expect((await fetch(`${api.url}/readyz`)).status).toBe(503);
    } finally {
      await api.close();
    }
  });

  it("an upstream create cut off by a crash is looked up and adopted, not repeated", async () => {
    const { apiKey } = await stack.newTenant();
    const flow = await startFlow(apiKey);
    // The crashed worker got as far as sending the creates; the platform has the objects but
    // Reelay never learned their ids.
    const upstreamAsset = await platform.assets.create({ method: "url", url: files.url("sample.mp4"), filename: "sample.mp4", userMetadata: JSON.stringify({ reelay_id: flow.asset._id }) });
    const upstreamStore = await platform.knowledgeStores.create({ name: "recovery", metadata: { reelay_id: flow.store._id } });
    await stack.prisma.job.updateMany({ where: { resourceId: { in: [flow.asset._id, flow.store._id] } }, data: { createSentAt: new Date() } });

    expect((await finishWithWorker(flow)).status).toBe("ready");
    const asset = await stack.prisma.asset.findUniqueOrThrow({ where: { id: flow.asset._id } });
    const store = await stack.prisma.knowledgeStore.findUniqueOrThrow({ where: { id: flow.store._id } });
    expect(asset.upstreamId).toBe(upstreamAsset.id);
    expect(store.upstreamId).toBe(upstreamStore.id);
    expect(await upstreamCopies(flow.asset._id, flow.store._id)).toEqual({ assets: 1, stores: 1, items: 1 });
  });

  it("a worker killed with SIGKILL again and again leaves work that the next one finishes, each object created once", async () => {
    const { apiKey } = await stack.newTenant();
    // A create cut off by a kill is "in flight" for the platform call's time-out, then looked up:
    // 5 s here (the emulator answers in milliseconds), not the default minute.
    const overrides = { WORKER_LOCK_MS: "2000", RECONCILE_INTERVAL_MS: "1000", UPSTREAM_TIMEOUT_S: "5" };

    const flow = await startFlow(apiKey);
    // Kill at different points of the flow: while creating, while polling the asset, while indexing.
    for (const lifetimeMs of [1_500, 2_500, 3_500, 4_500]) {
      const child = spawnWorker(stack, overrides);
      await new Promise((resolve) => setTimeout(resolve, lifetimeMs));
      await killHard(child);
    }
    const survivor = spawnWorker(stack, overrides);
    try {
      const { last } = await pollUntil(flow.itemStatus, (i) => i.status === "ready" || i.status === "failed", { timeoutMs: 50_000 }).catch(async (error: Error) => {
        throw new Error(`${error.message}\n${await jobsOf([flow.asset._id, flow.store._id, flow.item._id])}`);
      });
      expect(last.status).toBe("ready");
    } finally {
      await stopGently(survivor);
    }
    expect(await upstreamCopies(flow.asset._id, flow.store._id)).toEqual({ assets: 1, stores: 1, items: 1 });
    const jobs = await stack.prisma.job.findMany({ where: { resourceId: { in: [flow.asset._id, flow.store._id, flow.item._id] } } });
    expect(jobs.every((job) => job.status === "succeeded")).toBe(true);
  }, 90_000);
});
