import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TwelvelabsApiClient } from "twelvelabs-js";
import { startCountingProxy } from "./support/counting-proxy.ts";
import { LONG_VIDEO_SECONDS, makeLongVideo } from "./support/long-video.ts";
import { killHard, pollUntil, readJson, spawnWorker, startTestStack, stopGently, type TestStack } from "./support/stack.ts";

const mediaDir = path.resolve(".data/test-media");
/** The platform's chunks: a 2.6 MB file spans about 80, sent in batches of ten. */
const PLATFORM_CHUNK = 32 * 1024;

let stack: TestStack;
let proxy: Awaited<ReturnType<typeof startCountingProxy>>;
let long: Buffer;

beforeAll(async () => {
  long = await readFile(await makeLongVideo(mediaDir));
  // No worker in this process: the test starts (and kills) its own.
  stack = await startTestStack({ startWorker: false, env: { DIRECT_UPLOAD_MAX_BYTES: String(1024 * 1024) }, emulator: { multipartChunkBytes: PLATFORM_CHUNK } });
  proxy = await startCountingProxy(stack.platformUrl);
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await proxy?.close();
});

interface Progress {
  upload_id: string;
  asset_id: string;
  total_chunks: number;
  reported: number;
}

describe("a worker killed in the middle of a multipart upload to the platform", () => {
  it("leaves its progress on the asset; the next worker resumes after the last reported chunk, sends no reported chunk again, and the asset ends ready", async () => {
    const { apiKey } = await stack.newTenant();
    const form = new FormData();
    form.set("method", "direct");
    form.set("file", new Blob([long], { type: "video/mp4" }), "resumed.mp4");
    const asset = await readJson(fetch(`${stack.base}/assets`, { method: "POST", headers: { "x-api-key": apiKey }, body: form }));
    // Slow reports down so the kill lands between batches with room to spare.
    stack.emulator!.faults.set({ rules: [{ kind: "latency", match: { method: "POST", path: "/assets/multipart-uploads/:upload_id" }, ms: 300 }] });

    const worker = { TWELVELABS_BASE_URL: proxy.url, WORKER_LOCK_MS: "2000", RECONCILE_INTERVAL_MS: "1000", STEP_RETRY_SCALE: "0.05" };
    const progressOf = async () => (await stack.prisma.asset.findUniqueOrThrow({ where: { id: asset._id } })).upstreamUpload as Progress | null;
    const first = spawnWorker(stack, worker);
    try {
      await pollUntil(progressOf, (p) => (p?.reported ?? 0) >= 20, { timeoutMs: 60_000, intervalMs: 20 });
    } finally {
      await killHard(first);
    }
    const atKill = (await progressOf())!;
    expect(atKill.reported).toBeGreaterThanOrEqual(20);
    expect(atKill.reported).toBeLessThan(atKill.total_chunks);

    const survivor = spawnWorker(stack, worker);
    try {
      const { last } = await pollUntil(() => readJson(fetch(`${stack.base}/assets/${asset._id}`, { headers: { "x-api-key": apiKey } })), (a) => a.status !== "processing", { timeoutMs: 90_000 });
      expect(last).toMatchObject({ status: "ready", size: long.length });
      expect(last.duration).toBeCloseTo(LONG_VIDEO_SECONDS, 0);
    } finally {
      await stopGently(survivor);
    }

    const done = (await progressOf())!;
    expect(done).toMatchObject({ upload_id: atKill.upload_id, asset_id: atKill.asset_id, reported: atKill.total_chunks });
    // One platform session: the survivor continued the first worker's.
    expect(proxy.calls.filter((c) => c.method === "POST" && c.path === "/v1.3/assets/multipart-uploads")).toHaveLength(1);
    // Chunks reported before the kill were PUT exactly once; no PUT hit a reported chunk (409).
    const puts = proxy.calls.filter((c) => c.method === "PUT" && c.path.startsWith(`/uploads/${atKill.upload_id}/`));
    expect(puts.filter((c) => c.status !== 200)).toEqual([]);
    const putsOf = (index: number) => puts.filter((c) => c.path === `/uploads/${atKill.upload_id}/${index}`).length;
    for (let index = 1; index <= atKill.reported; index += 1) expect(putsOf(index), `chunk ${index}`).toBe(1);
    for (let index = atKill.reported + 1; index <= atKill.total_chunks; index += 1) expect(putsOf(index), `chunk ${index}`).toBeGreaterThanOrEqual(1);
    // The platform holds exactly one copy, stamped with Reelay's id.
    const platform = new TwelvelabsApiClient({ apiKey: "test", environment: stack.platformUrl });
    const copies = (await platform.assets.list({ pageLimit: 50 })).data.filter((a) => a.userMetadata?.reelay_id === asset._id);
    expect(copies.map((a) => a.id)).toEqual([atKill.asset_id]);
  }, 180_000);
});
