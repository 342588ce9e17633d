import { mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TwelvelabsApiClient } from "twelvelabs-js";
import { makeSampleVideo, serveFiles, type FileServer } from "@reelay/sample-media";
import { startWorker } from "@reelay/worker";
import { pollUntil, readJson, startTestStack, type Json, type TestStack } from "./support/stack.ts";

const mediaDir = path.resolve(".data/test-media");
let stack: TestStack;
let files: FileServer;

beforeAll(async () => {
  await mkdir(mediaDir, { recursive: true });
  await makeSampleVideo(mediaDir);
  files = await serveFiles(mediaDir);
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
  await files?.close();
});

function client(apiKey: string, base = stack.base) {
  const headers = { "x-api-key": apiKey };
  const json = { ...headers, "content-type": "application/json" };
  return {
    get: (p: string, extra: Record<string, string> = {}) => fetch(`${base}${p}`, { headers: { ...headers, ...extra } }),
    post: (p: string, body?: unknown) => fetch(`${base}${p}`, { method: "POST", headers: json, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
    async asset() {
      const form = new FormData();
      form.set("method", "url");
      form.set("url", files.url("sample.mp4"));
      return fetch(`${base}/assets`, { method: "POST", headers, body: form });
    },
    async flow() {
      const asset = await readJson(this.asset());
      const store = await readJson(this.post("/knowledge-stores", { name: "jobs" }));
      const item = await readJson(this.post(`/knowledge-stores/${store._id}/items`, { asset_id: asset._id }));
      return { asset, store, item };
    },
  };
}

/** Reads an SSE body to its end (the stream closes after the job's terminal event). */
async function readSse(res: Response): Promise<Array<{ id: string; event: string; data: Json }>> {
  const text = await res.text();
  return text
    .split("\n\n")
    .filter((block) => block.includes("data: "))
    .map((block) => {
      const field = (name: string) => block.split("\n").find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2) ?? "";
      return { id: field("id"), event: field("event"), data: JSON.parse(field("data")) };
    });
}

describe("jobs", () => {
  it("every create names its job (X-Job-Id, job_id) and GET /jobs/{id} follows it to succeeded", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const assetRes = await api.asset();
    expect(assetRes.status).toBe(201);
    const asset = await readJson(assetRes);
    expect(assetRes.headers.get("x-job-id")).toBe(asset.job_id);
    const storeRes = await api.post("/knowledge-stores", { name: "jobs" });
    const store = await readJson(storeRes);
    expect(storeRes.headers.get("x-job-id")).toBe(store.job_id);
    const itemRes = await api.post(`/knowledge-stores/${store._id}/items`, { asset_id: asset._id });
    expect(itemRes.status).toBe(202);
    const item = await readJson(itemRes);
    expect(item.job_id).toMatch(/^job_/);
    expect(itemRes.headers.get("x-job-id")).toBe(item.job_id);

    const first = await readJson(api.get(`/jobs/${item.job_id}`));
    expect(first).toMatchObject({ _id: item.job_id, object: "job", type: "item.index", resource: { type: "knowledge_store_item", id: item._id }, deadline_at: expect.any(String), queued_at: expect.any(String) });
    const done = (await pollUntil(() => readJson(api.get(`/jobs/${item.job_id}?wait=5`)), (job) => job.status === "succeeded")).last;
    expect(done).toMatchObject({ status: "succeeded", stage: "done", resource: { status: "ready" }, last_error: null, next_poll_at: null, failed_at: null, cancelled_at: null });
    for (const field of ["running_at", "waiting_remote_at", "succeeded_at"]) expect(done[field], field).toEqual(expect.any(String));
    expect(done.sequence).toBeGreaterThan(first.sequence);
    expect((await readJson(api.get(`/knowledge-stores/${store._id}/items/${item._id}`))).job_id).toBe(item.job_id);
  });

  it("lists a tenant's jobs newest first, filtered by resource, type and status, in pages; another tenant sees none", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const other = client((await stack.newTenant()).apiKey);
    const stores = [];
    for (const name of ["a", "b", "c"]) stores.push(await readJson(api.post("/knowledge-stores", { name })));
    const page = await readJson(api.get("/jobs?page_limit=2"));
    expect(page.page_info).toEqual({ limit_per_page: 2, page: 1, total_page: 2, total_results: 3 });
    expect(page.data.map((j: Json) => j.resource.id)).toEqual([stores[2]._id, stores[1]._id]);
    expect((await readJson(api.get(`/jobs?resource_id=${stores[0]._id}`))).data.map((j: Json) => j._id)).toEqual([stores[0].job_id]);
    expect((await readJson(api.get("/jobs?type=asset.ingest"))).data).toEqual([]);
    await pollUntil(() => readJson(api.get("/jobs?status=succeeded")), (list) => list.data.length === 3);
    expect((await readJson(other.get("/jobs"))).data).toEqual([]);
    expect((await other.get(`/jobs/${stores[0].job_id}`)).status).toBe(404);
    expect((await other.get(`/jobs/${stores[0].job_id}/events`)).status).toBe(404);
    expect((await other.post(`/jobs/${stores[0].job_id}/cancel`)).status).toBe(404);
    const bad = await api.get("/jobs?status=bogus&page_limit=999");
    expect(bad.status).toBe(400);
    expect(await readJson(bad)).toMatchObject({ code: "parameter_invalid" });
    expect((await api.get(`/jobs/${stores[0].job_id}?wait=3600`)).status).toBe(400);
  });

  it("streams a job's events as SSE from the outbox, resumable with Last-Event-ID, ending at the terminal event", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const { item } = await api.flow();
    const res = await api.get(`/jobs/${item.job_id}/events`);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = await readSse(res);
    expect(events[0]).toMatchObject({ id: "1", event: "job.created" });
    expect(events.at(-1)).toMatchObject({ event: "job.succeeded", data: { type: "job.succeeded", data: { status: "succeeded" } } });
    expect(events.map((e) => Number(e.id))).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.data.sequence)).toEqual(events.map((e) => Number(e.id)));
    // The item's own progress shows through the job's resource status.
    expect(events.map((e) => e.data.data.resource.status)).toEqual(expect.arrayContaining(["queued", "pending", "processing", "ready"]));

    const resumed = await readSse(await api.get(`/jobs/${item.job_id}/events`, { "last-event-id": "2" }));
    expect(resumed.map((e) => e.id)).toEqual(events.slice(2).map((e) => e.id));
    // Nothing after the end: 204 tells EventSource to stop reconnecting.
    expect((await api.get(`/jobs/${item.job_id}/events`, { "last-event-id": events.at(-1)!.id })).status).toBe(204);
  });

  describe("with no worker running", () => {
    let own: TestStack;
    beforeAll(async () => {
      own = await startTestStack({ startWorker: false });
    });
    afterAll(async () => {
      await own?.close();
    });

    it("?wait answers after the wait when nothing changes, and as soon as the job changes", async () => {
      const api = client((await own.newTenant()).apiKey, own.base);
      const store = await readJson(api.post("/knowledge-stores", { name: "waiting" }));
      let started = Date.now();
      const unchanged = await readJson(api.get(`/jobs/${store.job_id}?wait=1`));
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(unchanged.status).toBe("queued");

      started = Date.now();
      const waiting = readJson(api.get(`/jobs/${store.job_id}?wait=30`));
      const worker = await startWorker(own.workerConfig, () => {});
      try {
        const changed = await waiting;
        expect(Date.now() - started).toBeLessThan(15_000);
        expect(changed.sequence).toBeGreaterThan(unchanged.sequence);
      } finally {
        await worker.close();
      }
    });

    it("cancels an unfinished job: its resource ends failed (cancelled), again is harmless, and a worker later changes nothing", async () => {
      const api = client((await own.newTenant()).apiKey, own.base);
      const { store, item } = await api.flow();
      const cancelled = await api.post(`/jobs/${item.job_id}/cancel`);
      expect(cancelled.status).toBe(200);
      expect(await readJson(cancelled)).toMatchObject({ status: "cancelled", stage: "cancelled", resource: { status: "failed" }, last_error: { code: "cancelled", retryable: false }, cancelled_at: expect.any(String) });
      expect(await readJson(api.get(`/knowledge-stores/${store._id}/items/${item._id}`))).toMatchObject({ status: "failed", error: { message: expect.stringMatching(/cancelled/) } });
      expect((await readJson(api.post(`/jobs/${item.job_id}/cancel`))).status).toBe("cancelled");

      const worker = await startWorker(own.workerConfig, () => {});
      try {
        await pollUntil(() => readJson(api.get(`/jobs/${store.job_id}`)), (job) => job.status === "succeeded");
        const refused = await api.post(`/jobs/${store.job_id}/cancel`);
        expect(refused.status).toBe(409);
        expect(await readJson(refused)).toMatchObject({ code: "job_not_cancellable" });
      } finally {
        await worker.close();
      }
      // Terminal states never change again, and the platform never got the item.
      expect((await readJson(api.get(`/jobs/${item.job_id}`))).status).toBe("cancelled");
      const upstreamStore = (await own.prisma.knowledgeStore.findUniqueOrThrow({ where: { id: store._id } })).upstreamId!;
      const platform = new TwelvelabsApiClient({ apiKey: "test", environment: own.platformUrl });
      expect((await platform.knowledgeStoreItems.list(upstreamStore)).data).toEqual([]);
      const events = await own.prisma.event.findMany({ where: { resourceId: item._id }, orderBy: { sequence: "asc" } });
      expect(events.map((e) => e.type)).toEqual(["knowledge_store_item.created", "knowledge_store_item.failed"]);
    });
  });

  it("a background response answers 202 queued at once; GET /responses/{id} returns it when answered, foreground ones too", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const { store, item } = await api.flow();
    await pollUntil(() => readJson(api.get(`/jobs/${item.job_id}`)), (job) => job.status === "succeeded");
    const input = [{ type: "message", role: "user", content: "What happens?" }];

    const accepted = await api.post("/responses", { knowledge_store_id: store._id, input, background: true });
    expect(accepted.status).toBe(202);
    const queued = await readJson(accepted);
    expect(queued).toMatchObject({ id: expect.stringMatching(/^resp_/), status: "queued", output: [], job_id: accepted.headers.get("x-job-id") });
    expect(accepted.headers.get("content-location")).toBe(`/v1.3/responses/${queued.id}`);
    const answered = (await pollUntil(() => readJson(api.get(`/responses/${queued.id}`)), (r) => r.status === "completed")).last;
    expect(answered.output.find((o: Json) => o.type === "message").content[0].text).toMatch(/scene/i);

    const foreground = await readJson(api.post("/responses", { knowledge_store_id: store._id, input }));
    expect(await readJson(api.get(`/responses/${foreground.id}`))).toEqual(foreground);
    const other = client((await stack.newTenant()).apiKey);
    expect((await other.get(`/responses/${foreground.id}`)).status).toBe(404);
  });
});
