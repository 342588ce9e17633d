import { mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "@reelay/emulator";
import { makeSampleVideo, serveFiles, type FileServer } from "@reelay/sample-media";
import { startPlatformProxy } from "./support/platform-proxy.ts";
import { pollUntil, readJson, startTestStack, type Json, type TestStack } from "./support/stack.ts";

const mediaDir = path.resolve(".data/test-media");
let files: FileServer;

beforeAll(async () => {
  await mkdir(mediaDir, { recursive: true });
  await makeSampleVideo(mediaDir);
  files = await serveFiles(mediaDir);
});
afterAll(async () => {
  await files?.close();
});

const ITEM_GET = "GET /knowledge-stores/:knowledge_store_id/items/:item_id";
const ITEM_LIST = "GET /knowledge-stores/:knowledge_store_id/items";

/** Adds `count` items of one asset to a new store and waits until every item's job has ended. */
async function indexMany(stack: TestStack, count: number) {
  const { apiKey } = await stack.newTenant();
  const headers = { "x-api-key": apiKey, "content-type": "application/json" };
  const form = new FormData();
  form.set("method", "url");
  form.set("url", files.url("sample.mp4"));
  const asset = await readJson(fetch(`${stack.base}/assets`, { method: "POST", headers: { "x-api-key": apiKey }, body: form }));
  const store = await readJson(fetch(`${stack.base}/knowledge-stores`, { method: "POST", headers, body: JSON.stringify({ name: "watched" }) }));
  // The asset and the store reach the platform first, so what follows counts item look-ups only.
  await pollUntil(() => readJson(fetch(`${stack.base}/assets/${asset._id}`, { headers })), (a) => a.status === "ready");
  stack.emulator?.faults.resetStats();
  const items: Json[] = [];
  for (let i = 0; i < count; i++) {
    items.push(await readJson(fetch(`${stack.base}/knowledge-stores/${store._id}/items`, { method: "POST", headers, body: JSON.stringify({ asset_id: asset._id }) })));
  }
  const jobs: Json[] = [];
  for (const item of items) {
    jobs.push((await pollUntil(() => readJson(fetch(`${stack.base}/jobs/${item.job_id}`, { headers })), (j) => j.status === "succeeded" || j.status === "failed", { timeoutMs: 60_000 })).last);
  }
  const watchers = await readJson(fetch(`${stack.base}/jobs?resource_id=${store._id}&type=knowledge_store.watch_items`, { headers }));
  const calls = stack.emulator?.faults.stats().requests ?? {};
  return { store, items, jobs, watchers: watchers.data as Json[], calls };
}

describe("the store watcher", () => {
  it("follows every item of a store with list calls: no per-item GETs, every stage seen, then it ends", async () => {
    // Items' own safety polls are a minute away: any item GET here would be the old per-item polling.
    // Stages of 1.5 s against a look every 0.1–0.2 s: a loaded CI machine still sees each stage.
    const stack = await startTestStack({ env: { ITEM_SAFETY_POLL_MS: "60000" }, itemStageMs: 1_500 });
    try {
      const { items, jobs, watchers, calls } = await indexMany(stack, 6);
      expect(jobs.map((j) => j.status)).toEqual(Array(6).fill("succeeded"));
      expect(calls[ITEM_GET] ?? 0).toBe(0);
      expect(calls[ITEM_LIST]).toBeGreaterThan(0);
      // Each item was seen pending and processing (the emulator spends 1.5 s in each), not just ready.
      const events = await stack.prisma.event.findMany({ where: { resourceId: { in: items.map((i) => i._id) } }, select: { resourceId: true, type: true } });
      for (const item of items) {
        expect(events.filter((e) => e.resourceId === item._id).map((e) => e.type)).toEqual(
          expect.arrayContaining(["knowledge_store_item.pending", "knowledge_store_item.processing", "knowledge_store_item.ready"]),
        );
      }
      expect(watchers).toHaveLength(1);
      await expect.poll(async () => (await stack.prisma.job.findUniqueOrThrow({ where: { id: watchers[0]._id } })).status, { timeout: 10_000 }).toBe("succeeded");
    } finally {
      await stack.close();
    }
  });

  it("when the platform's item list keeps failing, each item's own safety poll still brings it to ready", async () => {
    const stack = await startTestStack({ env: { ITEM_SAFETY_POLL_MS: "500", STEP_RETRY_SCALE: "0.05" } });
    try {
      stack.emulator!.faults.set({ rules: [{ kind: "error_5xx", count: 100_000, match: { method: "GET", path: "/knowledge-stores/:store/items" } }] });
      const { jobs, watchers, calls } = await indexMany(stack, 3);
      expect(jobs.map((j) => j.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
      expect(calls[ITEM_GET]).toBeGreaterThan(0);
      // The watcher took the failures without failing: it keeps looking until nothing is left to watch.
      expect(watchers[0].status).not.toBe("failed");
    } finally {
      await stack.close();
    }
  });

  it("a change the platform stamps out of order is still seen: the watcher reads every page now and then", async () => {
    const emulator = await startEmulator({ port: 0, asr: false, itemStageMs: 400, assetProcessingMs: 100 });
    // Every item that has left `queued` claims, in the store's list, to have changed an hour ago:
    // a watcher reading only what changed since its last look would never see it move.
    const proxy = await startPlatformProxy(emulator.url, (call, body) => {
      if (call.method !== "GET" || !/^\/knowledge-stores\/[^/]+\/items$/.test(call.path)) return undefined;
      const page = JSON.parse(body) as { data: Array<{ status: string; updated_at: string }> };
      const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
      return JSON.stringify({ ...page, data: page.data.map((row) => (row.status === "queued" ? row : { ...row, updated_at: hourAgo })) });
    });
    // No safety poll within the test: only a full read of the list can bring the item to ready.
    const stack = await startTestStack({ env: { TWELVELABS_BASE_URL: proxy.url, ITEM_SAFETY_POLL_MS: "3600000" } });
    try {
      const { jobs } = await indexMany(stack, 1);
      expect(jobs.map((j) => j.status)).toEqual(["succeeded"]);
      expect(proxy.calls.filter((c) => c.method === "GET" && /\/items\/[^/]+$/.test(c.path))).toEqual([]);
    } finally {
      await stack.close();
      await proxy.close();
      await emulator.close();
    }
  });
});
