import { utimes, writeFile, readdir } from "node:fs/promises";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TwelvelabsApiClient } from "twelvelabs-js";
import { createQueue, createWorkerConnection } from "@reelay/jobs";
import { makeCorruptVideo, makeSampleVideo, serveFiles, type FileServer } from "@reelay/sample-media";
import { startEmulator } from "@reelay/emulator";
import { startWorker } from "@reelay/worker";
import { sweepBlobs } from "../services/worker/src/cleanup/sweep-blobs.ts";
import { startPlatformProxy } from "./support/platform-proxy.ts";
import { pollUntil, readJson, startTestStack, type Json, type TestStack } from "./support/stack.ts";

const mediaDir = path.resolve(".data/test-media");
let files: FileServer;

beforeAll(async () => {
  await mkdir(mediaDir, { recursive: true });
  await makeSampleVideo(mediaDir);
  await makeCorruptVideo(mediaDir);
  files = await serveFiles(mediaDir);
});
afterAll(async () => {
  await files?.close();
});

/** Failed steps are retried twenty times sooner than in production; nothing else changes. */
const fast = { STEP_RETRY_SCALE: "0.05", UPSTREAM_TIMEOUT_S: "5" };

function client(stack: TestStack, apiKey: string) {
  const headers = { "x-api-key": apiKey };
  const json = { ...headers, "content-type": "application/json" };
  return {
    get: (p: string) => readJson(fetch(`${stack.base}${p}`, { headers })),
    post: (p: string, body?: unknown) => fetch(`${stack.base}${p}`, { method: "POST", headers: json, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
    async asset(name = "sample.mp4") {
      const form = new FormData();
      form.set("method", "url");
      form.set("url", files.url(name));
      return readJson(fetch(`${stack.base}/assets`, { method: "POST", headers, body: form }));
    },
    async flow() {
      const asset = await this.asset();
      const store = await readJson(this.post("/knowledge-stores", { name: "faults" }));
      const item = await readJson(this.post(`/knowledge-stores/${store._id}/items`, { asset_id: asset._id }));
      return { asset, store, item };
    },
  };
}

const platformOf = (stack: TestStack) => new TwelvelabsApiClient({ apiKey: "test", environment: stack.platformUrl });

describe("under faults", () => {
  it("a second run of a job while the first is still sending its create waits for it (lease): one copy upstream", async () => {
    const stack = await startTestStack({ startWorker: false, env: fast });
    try {
      const api = client(stack, (await stack.newTenant()).apiKey);
      // The create is slow to arrive: it is in flight long enough for Redis to lose the job.
      stack.emulator!.faults.set({ rules: [{ kind: "latency", ms: 3_000, count: 1, match: { method: "POST", path: "/knowledge-stores" } }] });
      const store = await readJson(api.post("/knowledge-stores", { name: "leased" }));
      const first = await startWorker(stack.workerConfig, () => {});
      const connection = createWorkerConnection(stack.workerConfig.REDIS_URL);
      const queue = createQueue(connection, stack.workerConfig.QUEUE_PREFIX);
      try {
        await pollUntil(async () => stack.emulator!.faults.stats().requests["POST /knowledge-stores"] ?? 0, (n) => n >= 1);
        // Redis loses the running job; a second worker's start-up reconcile dispatches it again.
        await queue.obliterate({ force: true });
        const second = await startWorker(stack.workerConfig, () => {});
        try {
          await pollUntil(() => stack.prisma.knowledgeStore.findUniqueOrThrow({ where: { id: store._id } }), (s) => s.syncStatus !== "pending", { timeoutMs: 20_000 });
        } finally {
          await second.close();
        }
      } finally {
        await first.close();
        await queue.close();
        connection.disconnect();
      }
      const copies = (await platformOf(stack).knowledgeStores.list({ pageLimit: 50 })).data.filter((s) => s.metadata?.reelay_id === store._id);
      expect(copies).toHaveLength(1);
      expect(stack.emulator!.faults.stats().requests["POST /knowledge-stores"]).toBe(1);
    } finally {
      await stack.close();
    }
  });

  it("a 429 pauses every worker's platform calls until its Retry-After has passed, not just the job that got it", async () => {
    const stack = await startTestStack({ startWorker: false, env: fast });
    const second = await startWorker(stack.workerConfig, () => {});
    const first = await startWorker(stack.workerConfig, () => {});
    try {
      const api = client(stack, (await stack.newTenant()).apiKey);
      stack.emulator!.faults.set({ rules: [{ kind: "too_many_requests", retry_after_s: 2, count: 1, match: { method: "POST", path: "/knowledge-stores" } }] });
      const stores = await Promise.all(Array.from({ length: 8 }, (_, i) => readJson(api.post("/knowledge-stores", { name: `limited ${i}` }))));
      await pollUntil(() => stack.prisma.knowledgeStore.count({ where: { id: { in: stores.map((s) => s._id) }, syncStatus: "synced" } }), (n) => n === 8, { timeoutMs: 20_000 });
      expect(stack.emulator!.faults.stats()).toMatchObject({ faults: { too_many_requests: 1 }, retry_after_violations: 0 });
    } finally {
      await first.close();
      await second.close();
      await stack.close();
    }
  });

  it("Retry-After: 0 does not make a hot loop, and a calls-per-second budget spaces calls for all workers", async () => {
    const emulator = await startEmulator({ port: 0, asr: false });
    const proxy = await startPlatformProxy(emulator.url);
    const stack = await startTestStack({ env: { ...fast, TWELVELABS_BASE_URL: proxy.url, PLATFORM_MAX_CALLS_PER_S: "4" } });
    try {
      const api = client(stack, (await stack.newTenant()).apiKey);
      emulator.faults.set({ rules: [{ kind: "too_many_requests", retry_after_s: 0, count: 3, match: { method: "POST", path: "/knowledge-stores" } }] });
      const store = await readJson(api.post("/knowledge-stores", { name: "zero" }));
      await pollUntil(() => stack.prisma.knowledgeStore.findUniqueOrThrow({ where: { id: store._id } }), (s) => s.syncStatus === "synced", { timeoutMs: 20_000 });
      const creates = proxy.calls.filter((c) => c.method === "POST" && c.path === "/knowledge-stores");
      expect(creates.map((c) => c.status)).toEqual([429, 429, 429, 201]);
      for (let i = 1; i < creates.length; i++) expect(creates[i]!.at - creates[i - 1]!.at).toBeGreaterThanOrEqual(900);

      // A burst of creates at 4 calls/s (a bucket of 4): eight calls take at least a second, not milliseconds.
      const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => readJson(api.post("/knowledge-stores", { name: `budget ${i}` }))));
      await pollUntil(() => stack.prisma.knowledgeStore.count({ where: { id: { in: burst.map((s) => s._id) }, syncStatus: "synced" } }), (n) => n === 8, { timeoutMs: 20_000 });
      const times = proxy.calls.filter((c) => c.method === "POST" && c.path === "/knowledge-stores").slice(4).map((c) => c.at);
      expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(900);
    } finally {
      await stack.close();
      await proxy.close();
      await emulator.close();
    }
  });

  it("scattered 5xx while polling, more of them in a row than the retry budget, do not fail the item", async () => {
    const stack = await startTestStack({ env: { ...fast, STEP_RETRY_SCALE: "0.02" } });
    try {
      const api = client(stack, (await stack.newTenant()).apiKey);
      // Ten failed looks in a row at the store's items (the budget is eight), then the platform answers again.
      stack.emulator!.faults.set({ rules: [{ kind: "error_5xx", count: 10, match: { method: "GET", path: "/knowledge-stores/:store/items" } }] });
      const { store, item } = await api.flow();
      const job = (await pollUntil(() => api.get(`/jobs/${item.job_id}`), (j) => j.status === "succeeded" || j.status === "failed", { timeoutMs: 60_000 })).last;
      expect(job).toMatchObject({ status: "succeeded", attempts: 0, last_error: null, resource: { status: "ready" } });
      // The store's watcher took the failures and kept looking: it was waiting on the platform.
      const watcher = (await api.get(`/jobs?resource_id=${store._id}&type=knowledge_store.watch_items`)).data[0];
      expect(watcher.status).not.toBe("failed");
      expect(stack.emulator!.faults.stats().faults.error_5xx).toBe(10);
    } finally {
      await stack.close();
    }
  });

  it("the platform refusing Reelay's own key pauses jobs: nothing fails, no tenant is blamed, and work resumes with the right key", async () => {
    const stack = await startTestStack({ startWorker: false, env: fast, emulator: { apiKey: "the-platform-key" } });
    try {
      const api = client(stack, (await stack.newTenant()).apiKey);
      const store = await readJson(api.post("/knowledge-stores", { name: "operator fault" }));
      const refused = await startWorker({ ...stack.workerConfig, TWELVE_LABS_API_KEY: "an-expired-key" }, () => {});
      try {
        const paused = (await pollUntil(() => api.get(`/jobs/${store.job_id}`), (j) => j.last_error !== null)).last;
        expect(paused).toMatchObject({ status: "running", last_error: { code: "platform_unavailable", retryable: true } });
        expect(JSON.stringify(paused)).not.toMatch(/api_key_invalid/);
        // It keeps trying (each try moves next_poll_at on) and keeps not failing.
        const tries = new Set<string>();
        await pollUntil(() => api.get(`/jobs/${store.job_id}`), (j) => tries.add(j.next_poll_at).size >= 3 && j.status === "running", { timeoutMs: 20_000 });
      } finally {
        await refused.close();
      }
      const fixed = await startWorker({ ...stack.workerConfig, TWELVE_LABS_API_KEY: "the-platform-key" }, () => {});
      try {
        const done = (await pollUntil(() => api.get(`/jobs/${store.job_id}`), (j) => j.status !== "running", { timeoutMs: 20_000 })).last;
        expect(done).toMatchObject({ status: "succeeded", last_error: null });
      } finally {
        await fixed.close();
      }
    } finally {
      await stack.close();
    }
  });

  it("an answer Reelay cannot read is kept and never asked for again: one paid question, however often the step fails", async () => {
    const emulator = await startEmulator({ port: 0, asr: false, itemStageMs: 300, assetProcessingMs: 100 });
    // The platform answers the question, but with a shape this version cannot read.
    const proxy = await startPlatformProxy(emulator.url, (call, body) => (call.method === "POST" && call.path === "/responses" ? JSON.stringify({ ...JSON.parse(body), output: "unreadable" }) : undefined));
    const stack = await startTestStack({ env: { ...fast, TWELVELABS_BASE_URL: proxy.url } });
    try {
      const api = client(stack, (await stack.newTenant()).apiKey);
      const { store, item } = await api.flow();
      await pollUntil(() => api.get(`/jobs/${item.job_id}`), (j) => j.status === "succeeded", { timeoutMs: 30_000 });
      const asked = await api.post("/responses", { knowledge_store_id: store._id, input: [{ type: "message", role: "user", content: "What happens?" }] });
      expect(asked.status).toBe(502);
      const stored = await stack.prisma.response.findFirstOrThrow({ where: { knowledgeStoreId: store._id } });
      expect(stored.status).toBe("failed");
      expect(stored.rawAnswer).toMatchObject({ output: "unreadable" });
      expect(proxy.calls.filter((c) => c.method === "POST" && c.path === "/responses")).toHaveLength(1);
      const job = await api.get(`/jobs/${stored.jobId}`);
      expect(job.last_error.message).not.toMatch(/zod|prisma|at .*\.ts/i);
    } finally {
      await stack.close();
      await proxy.close();
      await emulator.close();
    }
  });

  it("failed and cancelled work leaves nothing behind: the platform's copy is deleted, uploads are removed from disk", async () => {
    const stack = await startTestStack({ env: fast, itemStageMs: 20_000 });
    try {
      const api = client(stack, (await stack.newTenant()).apiKey);
      // An item cancelled while the platform indexes it.
      const { store, item } = await api.flow();
      await pollUntil(() => api.get(`/jobs/${item.job_id}`), (j) => j.status === "waiting_remote" && j.stage === "await_indexed", { timeoutMs: 30_000 });
      expect((await api.post(`/jobs/${item.job_id}/cancel`)).status).toBe(200);
      const cleanup = (await pollUntil(() => api.get(`/jobs?resource_id=${item._id}&type=item.cleanup`), (l) => l.data[0]?.status === "succeeded")).last.data[0];
      expect(cleanup.type).toBe("item.cleanup");
      const upstreamStore = (await stack.prisma.knowledgeStore.findUniqueOrThrow({ where: { id: store._id } })).upstreamId!;
      expect((await platformOf(stack).knowledgeStoreItems.list(upstreamStore)).data).toEqual([]);

      // A direct upload the platform rejects: its blob goes, and so does the platform's failed copy.
      const form = new FormData();
      form.set("method", "direct");
      form.set("file", new Blob([await (await fetch(files.url("corrupt.mp4"))).arrayBuffer()], { type: "video/mp4" }), "corrupt.mp4");
      const corrupt = await readJson(fetch(`${stack.base}/assets`, { method: "POST", headers: { "x-api-key": (await stack.newTenant()).apiKey }, body: form }));
      const failed = (await pollUntil(() => stack.prisma.asset.findUniqueOrThrow({ where: { id: corrupt._id } }), (a) => a.status === "failed")).last;
      await pollUntil(() => stack.prisma.job.findFirst({ where: { resourceId: corrupt._id, type: "asset.cleanup" } }), (j) => j?.status === "succeeded");
      expect(await readdir(stack.blobDir)).not.toContain(corrupt._id);
      expect((await platformOf(stack).assets.list({ pageLimit: 50 })).data.map((a) => a.id)).not.toContain(failed.upstreamId);
    } finally {
      await stack.close();
    }
  });

  it("the blob sweep removes uploads nothing will send and leaves uploads in progress alone", async () => {
    const stack = await startTestStack({ startWorker: false });
    try {
      const hourAgo = new Date(Date.now() - 2 * 3600_000);
      const write = async (name: string, old: boolean) => {
        await writeFile(path.join(stack.blobDir, name), "bytes");
        if (old) await utimes(path.join(stack.blobDir, name), hourAgo, hourAgo);
      };
      await write("0f0f0f0f0f0f0f0f0f0f0f0f", true); // an asset's blob whose asset never committed
      await write("3c2a1b0d9e8f7a6b5c4d3e2f1a0b9c8d", true); // an interrupted upload's temporary file
      await write("aa2a1b0d9e8f7a6b5c4d3e2f1a0b9c8d", false); // an upload in progress
      expect(await sweepBlobs({ prisma: stack.prisma, blobDir: stack.blobDir, log: () => {} })).toBe(2);
      expect(await readdir(stack.blobDir)).toEqual(["aa2a1b0d9e8f7a6b5c4d3e2f1a0b9c8d"]);
    } finally {
      await stack.close();
    }
  });

  it("answers name Reelay's sessions and items only, a session continues, and another tenant's session is not found", async () => {
    const stack = await startTestStack();
    try {
      const api = client(stack, (await stack.newTenant()).apiKey);
      const { store, item } = await api.flow();
      await pollUntil(() => api.get(`/jobs/${item.job_id}`), (j) => j.status === "succeeded", { timeoutMs: 30_000 });
      const ask = (extra: Record<string, unknown>) => api.post("/responses", { knowledge_store_id: store._id, input: [{ type: "message", role: "user", content: "What happens?" }], ...extra });
      const first = await readJson(ask({ include: ["intermediate_outputs"] }));
      const session = await stack.prisma.responseSession.findUniqueOrThrow({ where: { id: first.session_id } });
      const upstreamItem = (await stack.prisma.knowledgeStoreItem.findUniqueOrThrow({ where: { id: item._id } })).upstreamId!;
      const text = JSON.stringify(first);
      expect(text).not.toContain(session.upstreamId);
      expect(text).not.toContain(upstreamItem);
      expect(first.output.find((o: Json) => o.type === "function_call_output").output).toContain(item._id);

      const second = await readJson(ask({ session_id: first.session_id }));
      expect(second.session_id).toBe(first.session_id);
      const other = client(stack, (await stack.newTenant()).apiKey);
      const otherStore = await readJson(other.post("/knowledge-stores", { name: "other" }));
      const refused = await other.post("/responses", { knowledge_store_id: otherStore._id, session_id: first.session_id, input: [{ type: "message", role: "user", content: "hi" }] });
      expect(refused.status).toBe(404);
    } finally {
      await stack.close();
    }
  });

  it("a collection citation names Reelay's collection, not the platform's", async () => {
    const emulator = await startEmulator({ port: 0, asr: false, itemStageMs: 400, assetProcessingMs: 100 });
    let upstreamCollection = "";
    // The emulator cites items only; the platform may also cite a collection the question selected.
    const proxy = await startPlatformProxy(emulator.url, (call, body) => {
      if (call.method !== "POST" || call.path !== "/responses" || !upstreamCollection) return undefined;
      const answer = JSON.parse(body) as { output: Array<{ type: string; content?: Array<{ type: string; annotations?: unknown[] }> }> };
      const part = answer.output.flatMap((o) => o.content ?? []).find((c) => c.type === "output_text");
      part?.annotations?.push({ type: "collection_citation", start_index: 0, end_index: 0, collection_id: upstreamCollection, title: null, thumbnail_url: null, hls_url: null });
      return JSON.stringify(answer);
    });
    const stack = await startTestStack({ env: { TWELVELABS_BASE_URL: proxy.url } });
    try {
      const api = client(stack, (await stack.newTenant()).apiKey);
      const { store, item } = await api.flow();
      await pollUntil(() => api.get(`/jobs/${item.job_id}`), (j) => j.status === "succeeded", { timeoutMs: 30_000 });
      const collection = await readJson(api.post(`/knowledge-stores/${store._id}/item-collections`, { name: "picked" }));
      const synced = await pollUntil(() => stack.prisma.itemCollection.findUniqueOrThrow({ where: { id: collection._id } }), (c) => c.syncStatus === "synced");
      upstreamCollection = synced.last.upstreamId!;
      const answer = await readJson(api.post("/responses", { knowledge_store_id: store._id, input: [{ type: "message", role: "user", content: "What happens?" }] }));
      const cited = answer.output.flatMap((o: Json) => o.content ?? []).flatMap((c: Json) => c.annotations ?? []).find((a: Json) => a.type === "collection_citation");
      expect(cited).toMatchObject({ collection_id: collection._id });
      expect(JSON.stringify(answer)).not.toContain(upstreamCollection);
    } finally {
      await stack.close();
      await proxy.close();
      await emulator.close();
    }
  });
});
