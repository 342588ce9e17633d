import type { ChildProcess } from "node:child_process";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TwelvelabsApiClient } from "twelvelabs-js";
import { makeSampleVideo, serveFiles, type FileServer } from "@reelay/sample-media";
import { killHard, pollUntil, readJson, spawnWorker, startTestStack, stopGently, type Json, type TestStack } from "./support/stack.ts";

/**
 * The chaos suite: every fault at once. Kept short in CI; CHAOS_ITEMS=20 CHAOS_SECONDS=120 runs a
 * longer one by hand.
 */
const ITEMS = Number(process.env.CHAOS_ITEMS ?? 4);
const CHAOS_MS = Number(process.env.CHAOS_SECONDS ?? 20) * 1000;

const mediaDir = path.resolve(".data/test-media");
let files: FileServer;
let stack: TestStack;

beforeAll(async () => {
  await mkdir(mediaDir, { recursive: true });
  await makeSampleVideo(mediaDir);
  files = await serveFiles(mediaDir);
  stack = await startTestStack({
    startWorker: false,
    env: { STEP_RETRY_SCALE: "0.05", UPSTREAM_TIMEOUT_S: "5", POLL_INITIAL_MS: "200", POLL_MAX_MS: "1000", RECONCILE_INTERVAL_MS: "1000" },
  });
});
afterAll(async () => {
  await stack?.close();
  await files?.close();
});

const random = (min: number, max: number) => min + Math.random() * (max - min);

describe("chaos", () => {
  it(`under 30 % upstream 5xx, 429 bursts, lost create answers, repeated SIGKILL of the worker and the queue's Redis keys deleted, ${ITEMS} items all end ready, each object once upstream, no call inside a Retry-After window`, async () => {
    const emulator = stack.emulator!;
    const { apiKey } = await stack.newTenant();
    const headers = { "x-api-key": apiKey };
    const json = { ...headers, "content-type": "application/json" };

    emulator.faults.resetStats();
    emulator.faults.set({
      rules: [
        { kind: "error_5xx", rate: 0.3 },
        { kind: "too_many_requests", rate: 0.05, retry_after_s: 1 },
        // A create that happened upstream whose answer never came back.
        { kind: "lost_answer", rate: 0.3, match: { method: "POST" } },
      ],
    });

    const store = await readJson(fetch(`${stack.base}/knowledge-stores`, { method: "POST", headers: json, body: JSON.stringify({ name: "chaos" }) }));
    const assets: Json[] = [];
    const items: Json[] = [];
    for (let i = 0; i < ITEMS; i++) {
      const form = new FormData();
      form.set("method", "url");
      form.set("url", files.url("sample.mp4"));
      form.set("filename", `chaos-${i}.mp4`);
      const asset = await readJson(fetch(`${stack.base}/assets`, { method: "POST", headers, body: form }));
      assets.push(asset);
      items.push(await readJson(fetch(`${stack.base}/knowledge-stores/${store._id}/items`, { method: "POST", headers: json, body: JSON.stringify({ asset_id: asset._id }) })));
    }

    const redis = new Redis(stack.workerConfig.REDIS_URL);
    const overrides = { WORKER_LOCK_MS: "2000" };
    const figures = { kills: 0, redisWipes: 0 };
    let worker: ChildProcess = spawnWorker(stack, overrides);
    const statuses = () => stack.prisma.knowledgeStoreItem.findMany({ where: { id: { in: items.map((i) => i._id) } }, select: { status: true } });
    const allDone = async () => (await statuses()).every((item) => item.status === "ready" || item.status === "failed");
    try {
      const until = Date.now() + CHAOS_MS;
      // On a loaded machine a worker can spend its whole short life starting: the storm goes on
      // until it has hit a call (bounded), or the figures below would show a storm that never was.
      const stormHit = () => emulator.faults.stats().faults.error_5xx > 0;
      const atTheLatest = until + 60_000;
      while ((Date.now() < until || !stormHit()) && Date.now() < atTheLatest && !(await allDone())) {
        // The kill schedule is the fault being injected: a worker lives 1.5 to 4 s.
        await new Promise((resolve) => setTimeout(resolve, random(1_500, 4_000)));
        await killHard(worker);
        figures.kills++;
        if (figures.kills % 3 === 1) {
          // The queue's keys vanish (a flush, a failover): Postgres must still hold all the work.
          const keys = await redis.keys(`${stack.workerConfig.QUEUE_PREFIX}:reelay*`);
          if (keys.length) await redis.del(...keys);
          figures.redisWipes++;
        }
        worker = spawnWorker(stack, overrides);
      }
      // The storm passes; the last worker finishes what is left.
      emulator.faults.clear();
      await pollUntil(allDone, Boolean, { timeoutMs: 60_000, intervalMs: 250 });
    } finally {
      await stopGently(worker);
      redis.disconnect();
    }

    const stats = emulator.faults.stats();
    const platform = new TwelvelabsApiClient({ apiKey: "chaos", environment: stack.platformUrl });
    const upstreamAssets = (await platform.assets.list({ pageLimit: 50 })).data.filter((a) => assets.some((ours) => ours._id === a.userMetadata?.reelay_id));
    const upstreamStores = (await platform.knowledgeStores.list({ pageLimit: 50 })).data.filter((s) => s.metadata?.reelay_id === store._id);
    const upstreamItems = upstreamStores[0]?.id ? (await platform.knowledgeStoreItems.list(upstreamStores[0].id, { pageLimit: 50 })).data : [];
    const calls = Object.values(stats.requests).reduce((sum, n) => sum + n, 0);
    const faults = Object.values(stats.faults).reduce((sum, n) => sum + n, 0);
    const duplicates = upstreamAssets.length - ITEMS + (upstreamStores.length - 1) + (upstreamItems.length - ITEMS);
    console.log(
      `[chaos] items ${ITEMS}, kills ${figures.kills}, queue wipes ${figures.redisWipes}, platform calls ${calls}, faults injected ${faults} ` +
        `(${JSON.stringify(stats.faults)}), Retry-After violations ${stats.retry_after_violations}, duplicates ${duplicates}`,
    );

    expect((await statuses()).map((item) => item.status)).toEqual(items.map(() => "ready"));
    expect(await stack.prisma.asset.count({ where: { id: { in: assets.map((a) => a._id) }, status: "failed" } })).toBe(0);
    expect(upstreamAssets).toHaveLength(ITEMS);
    expect(upstreamStores).toHaveLength(1);
    expect(upstreamItems).toHaveLength(ITEMS);
    expect(stats.retry_after_violations).toBe(0);
    expect(figures.kills).toBeGreaterThan(0);
    expect(stats.faults.error_5xx).toBeGreaterThan(0);
  }, 180_000);
});
