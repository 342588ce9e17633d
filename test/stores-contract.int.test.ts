import { mkdir } from "node:fs/promises";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TwelvelabsApiClient, TwelvelabsApiError } from "twelvelabs-js";
import { createApp } from "@reelay/api";
import { EventHub } from "@reelay/domain";
import { createProducerConnection, createQueue, createWebhookQueue } from "@reelay/jobs";
import { makeSampleVideo, serveFiles, type FileServer } from "@reelay/sample-media";
import { pollUntil, readJson, startTestStack, type Json, type TestStack } from "./support/stack.ts";

/**
 * Every knowledge-store, item, collection and search operation of the route table, over HTTP, with
 * the platform's side checked on the emulator itself. The same operations driven by the official
 * SDK, on Reelay and on the emulator alike, are the shared suite's (test/contract/).
 */

const mediaDir = path.resolve(".data/test-media");
let stack: TestStack;
let files: FileServer;
/** The official SDK pointed at the emulator: what the platform itself holds. */
let platform: TwelvelabsApiClient;
const once = { maxRetries: 0 };

beforeAll(async () => {
  await mkdir(mediaDir, { recursive: true });
  await makeSampleVideo(mediaDir);
  files = await serveFiles(mediaDir);
  // A create whose answer was lost is looked for again once its call has surely timed out: keep that short.
  stack = await startTestStack({ env: { UPSTREAM_TIMEOUT_S: "5" } });
  platform = new TwelvelabsApiClient({ apiKey: "any", environment: stack.platformUrl });
});
afterAll(async () => {
  await stack?.close();
  await files?.close();
});

const statusOf = (error: unknown) => (error instanceof TwelvelabsApiError ? error.statusCode : error);
const terminal = new Set(["succeeded", "failed", "cancelled"]);

/** A tenant's raw HTTP client, with the helpers the tests share. */
async function tenant() {
  const { apiKey } = await stack.newTenant();
  const headers = { "x-api-key": apiKey };
  const json = { ...headers, "content-type": "application/json" };
  const send = (method: string, p: string, body?: unknown) => fetch(`${stack.base}${p}`, { method, headers: json, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  let assetId: string | undefined;
  const api = {
    apiKey,
    get: (p: string) => fetch(`${stack.base}${p}`, { headers }),
    post: (p: string, body?: unknown) => send("POST", p, body),
    patch: (p: string, body: unknown) => send("PATCH", p, body),
    delete: (p: string) => send("DELETE", p),
    /** One ready asset per tenant, shared by its items. */
    async asset(): Promise<string> {
      if (assetId) return assetId;
      const form = new FormData();
      form.set("method", "url");
      form.set("url", files.url("sample.mp4"));
      const created = await readJson(fetch(`${stack.base}/assets`, { method: "POST", headers, body: form }));
      await pollUntil(() => readJson(api.get(`/assets/${created._id}`)), (a) => a.status === "ready");
      return (assetId = created._id as string);
    },
    async store(body: Record<string, unknown> = {}): Promise<Json> {
      const res = await api.post("/knowledge-stores", { name: "store", ...body });
      expect(res.status).toBe(201);
      return readJson(res);
    },
    async item(storeId: string, body: Record<string, unknown> = {}): Promise<Json> {
      const res = await api.post(`/knowledge-stores/${storeId}/items`, { asset_id: await api.asset(), ...body });
      expect(res.status).toBe(202);
      return readJson(res);
    },
    readyItem: async (storeId: string, body: Record<string, unknown> = {}): Promise<Json> => {
      const item = await api.item(storeId, body);
      return (await pollUntil(() => readJson(api.get(`/knowledge-stores/${storeId}/items/${item._id}`)), (i) => i.status === "ready")).last;
    },
    collection: async (storeId: string, body: Record<string, unknown> = {}): Promise<Json> => {
      const res = await api.post(`/knowledge-stores/${storeId}/item-collections`, { name: `c-${Math.random().toString(36).slice(2)}`, ...body });
      expect(res.status).toBe(201);
      return readJson(res);
    },
    /** Follows a job to its end. */
    job: async (jobId: string): Promise<Json> => (await pollUntil(() => readJson(api.get(`/jobs/${jobId}?wait=5`)), (job) => terminal.has(job.status))).last,
    synced: async (storeId: string, collectionId: string): Promise<Json> =>
      (await pollUntil(() => readJson(api.get(`/knowledge-stores/${storeId}/item-collections/${collectionId}`)), (c) => c.sync_status === "synced")).last,
  };
  return api;
}

/** The platform's id of a Reelay row, once the worker has recorded it. */
async function upstreamId(kind: "knowledgeStore" | "knowledgeStoreItem" | "itemCollection", id: string): Promise<string> {
  const read = async () => {
    const where = { where: { id }, select: { upstreamId: true } } as const;
    if (kind === "knowledgeStore") return (await stack.prisma.knowledgeStore.findUniqueOrThrow(where)).upstreamId;
    if (kind === "knowledgeStoreItem") return (await stack.prisma.knowledgeStoreItem.findUniqueOrThrow(where)).upstreamId;
    return (await stack.prisma.itemCollection.findUniqueOrThrow(where)).upstreamId;
  };
  return (await pollUntil(read, (value) => value !== null)).last!;
}

async function eventTypes(resourceId: string): Promise<string[]> {
  return (await stack.prisma.event.findMany({ where: { resourceId }, orderBy: { sequence: "asc" } })).map((event) => event.type);
}

/** The platform's members of a collection, as its own SDK lists them. */
async function upstreamMembers(storeId: string, collectionId: string): Promise<string[]> {
  const page = await platform.knowledgeStoreItemCollections.listItems(await upstreamId("knowledgeStore", storeId), await upstreamId("itemCollection", collectionId), { pageLimit: 50 }, once);
  return page.data.map((item) => item.id!).sort();
}

describe("PATCH /v1.3/knowledge-stores/{id}", () => {
  it("changes name, description and metadata (replaced in full) with knowledge_store.updated; the platform's copy follows, keeping Reelay's stamp", async () => {
    const api = await tenant();
    const store = await api.store({ name: "before", description: "d0", metadata: { a: "1" } });
    const res = await api.patch(`/knowledge-stores/${store._id}`, { name: "after", description: "d1", metadata: { b: "2" } });
    expect(res.status).toBe(200);
    const updated = await readJson(res);
    expect(updated).toMatchObject({ _id: store._id, name: "after", description: "d1", metadata: { b: "2" }, item_count: 0, created_at: store.created_at });
    expect(updated.job_id).toBe(res.headers.get("x-job-id"));
    expect(await readJson(api.get(`/knowledge-stores/${store._id}`))).toMatchObject({ name: "after", metadata: { b: "2" } });

    expect(await api.job(updated.job_id)).toMatchObject({ type: "knowledge_store.update", status: "succeeded", resource: { type: "knowledge_store", id: store._id } });
    const upstream = await platform.knowledgeStores.retrieve(await upstreamId("knowledgeStore", store._id), once);
    expect(upstream).toMatchObject({ name: "after", description: "d1", metadata: { b: "2", reelay_id: store._id } });
    // The update may land before or after the store reached the platform; either way it is there.
    expect((await eventTypes(store._id)).sort()).toEqual(["knowledge_store.created", "knowledge_store.synced", "knowledge_store.updated"]);
  });

  it("when updates come in quick succession, even at once > every one answers 200 and the platform ends with the last", async () => {
    const api = await tenant();
    const store = await api.store({ name: "v0" });
    await upstreamId("knowledgeStore", store._id);
    for (let i = 1; i <= 3; i++) expect((await api.patch(`/knowledge-stores/${store._id}`, { name: `v${i}` })).status).toBe(200);
    const concurrent = await Promise.all([4, 5, 6, 7].map((i) => api.patch(`/knowledge-stores/${store._id}`, { name: `v${i}`, metadata: { n: String(i) } })));
    expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200, 200]);

    const final = await readJson(api.get(`/knowledge-stores/${store._id}`));
    const jobs = await pollUntil(
      async () => (await readJson(api.get(`/jobs?resource_id=${store._id}&type=knowledge_store.update&page_limit=50`))).data as Json[],
      (rows) => rows.length > 0 && rows.every((job) => job.status === "succeeded"),
    );
    // One open update job at a time: the later changes rode on the open one or started the next.
    expect(jobs.last.length).toBeLessThanOrEqual(7);
    const upstream = await platform.knowledgeStores.retrieve(await upstreamId("knowledgeStore", store._id), once);
    expect(upstream).toMatchObject({ name: final.name, metadata: { ...final.metadata, reelay_id: store._id } });
  });

  it("when the store is not on the platform yet > the update waits for it and is pushed once it is", async () => {
    const api = await tenant();
    stack.emulator!.faults.set({ rules: [{ kind: "latency", ms: 1_500, count: 1, match: { method: "POST", path: "/knowledge-stores" } }] });
    try {
      const store = await api.store({ name: "slow" });
      const updated = await readJson(api.patch(`/knowledge-stores/${store._id}`, { name: "renamed early" }));
      expect(await api.job(updated.job_id)).toMatchObject({ status: "succeeded" });
      expect((await platform.knowledgeStores.retrieve(await upstreamId("knowledgeStore", store._id), once)).name).toBe("renamed early");
    } finally {
      stack.emulator!.faults.clear();
    }
  });

  it("when the store is unknown > 404; when a field is invalid > 400 naming it; the ingestion config is not a field", async () => {
    const api = await tenant();
    const store = await api.store();
    expect((await readJson(api.patch("/knowledge-stores/ks_missing", { name: "x" }))).code).toBe("resource_not_exist");
    const invalid = await api.patch(`/knowledge-stores/${store._id}`, { name: "" });
    expect(invalid.status).toBe(400);
    expect((await readJson(invalid)).errors[0].field).toBe("name");
    expect((await api.patch(`/knowledge-stores/${store._id}`, { metadata: { k: 1 } })).status).toBe(400);
    const other = await tenant();
    expect((await other.patch(`/knowledge-stores/${store._id}`, { name: "theirs" })).status).toBe(404);
  });
});

describe("DELETE /v1.3/knowledge-stores/{id}", () => {
  it("answers 204; the store, its items and collections answer 404 and leave every list; the platform's store is gone", async () => {
    const api = await tenant();
    const store = await api.store();
    const kept = await api.store({ name: "kept" });
    const item = await api.readyItem(store._id);
    const collection = await api.collection(store._id);
    await api.post(`/knowledge-stores/${store._id}/item-collections/${collection._id}/items/add`, { item_ids: [item._id] });
    await api.synced(store._id, collection._id);
    const [storeUp, itemUp] = [await upstreamId("knowledgeStore", store._id), await upstreamId("knowledgeStoreItem", item._id)];

    const res = await api.delete(`/knowledge-stores/${store._id}`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    for (const p of [`/knowledge-stores/${store._id}`, `/knowledge-stores/${store._id}/items`, `/knowledge-stores/${store._id}/items/${item._id}`, `/knowledge-stores/${store._id}/item-collections/${collection._id}`]) {
      expect((await api.get(p)).status, p).toBe(404);
    }
    expect((await readJson(api.get("/knowledge-stores"))).data.map((s: Json) => s._id)).toEqual([kept._id]);
    expect((await api.delete(`/knowledge-stores/${store._id}`)).status).toBe(404);

    const job = await api.job(res.headers.get("x-job-id")!);
    expect(job).toMatchObject({ type: "knowledge_store.delete", status: "succeeded" });
    expect(statusOf(await platform.knowledgeStores.retrieve(storeUp, once).catch((e: unknown) => e))).toBe(404);
    expect(statusOf(await platform.knowledgeStoreItems.retrieve(storeUp, itemUp, once).catch((e: unknown) => e))).toBe(404);
    expect((await eventTypes(store._id)).at(-1)).toBe("knowledge_store.deleted");
    expect((await eventTypes(item._id)).at(-1)).toBe("knowledge_store_item.deleted");
    expect((await eventTypes(collection._id)).at(-1)).toBe("knowledge_store_item_collection.deleted");
  });

  it("when its items are still indexing > their jobs are cancelled without a cleanup, and nothing of the store is left on the platform", async () => {
    const api = await tenant();
    const store = await api.store();
    const item = await api.item(store._id);
    expect((await api.delete(`/knowledge-stores/${store._id}`)).status).toBe(204);
    expect(await api.job(item.job_id)).toMatchObject({ status: "cancelled", last_error: { code: "resource_deleted", retryable: false } });
    const deleted = (await readJson(api.get(`/jobs?resource_id=${store._id}&type=knowledge_store.delete`))).data[0];
    expect(await api.job(deleted._id)).toMatchObject({ status: "succeeded" });
    expect(await stack.prisma.job.count({ where: { resourceId: item._id, type: "item.cleanup" } })).toBe(0);
    const stamped = (await platform.knowledgeStores.list({ pageLimit: 50 }, once)).data.filter((s) => s.metadata?.reelay_id === store._id);
    expect(stamped).toEqual([]);
  });

  it("racing item creates > the item is refused 404 or deleted with its store: never a live item, or a running index job, in a deleted store", async () => {
    const api = await tenant();
    const assetId = await api.asset();
    for (let round = 0; round < 8; round++) {
      const store = await api.store();
      const [created, deleted] = await Promise.all([api.post(`/knowledge-stores/${store._id}/items`, { asset_id: assetId }), api.delete(`/knowledge-stores/${store._id}`)]);
      expect([202, 404]).toContain(created.status);
      expect(deleted.status).toBe(204);
      const live = await stack.prisma.knowledgeStoreItem.findMany({ where: { knowledgeStoreId: store._id, deletedAt: null }, select: { id: true } });
      expect(live).toEqual([]);
      const running = await stack.prisma.job.count({ where: { type: "item.index", resourceId: { in: (await stack.prisma.knowledgeStoreItem.findMany({ where: { knowledgeStoreId: store._id }, select: { id: true } })).map((i) => i.id) }, status: { in: ["queued", "running", "waiting_remote"] } } });
      expect(running).toBe(0);
    }
  });

  it("when a question waits on the store > it ends 404 instead of waiting out its time", async () => {
    const api = await tenant();
    stack.emulator!.faults.set({ rules: [{ kind: "latency", ms: 3_000, count: 1, match: { method: "POST", path: "/knowledge-stores" } }] });
    try {
      const store = await api.store();
      const asked = api.post("/responses", { knowledge_store_id: store._id, input: [{ type: "message", role: "user", content: "What happens?" }] });
      await pollUntil(() => stack.prisma.response.count({ where: { knowledgeStoreId: store._id } }), (n) => n === 1);
      expect((await api.delete(`/knowledge-stores/${store._id}`)).status).toBe(204);
      const answer = await asked;
      expect(answer.status).toBe(404);
      expect((await readJson(answer)).code).toBe("resource_not_exist");
    } finally {
      stack.emulator!.faults.clear();
    }
  });
});

describe("DELETE /v1.3/knowledge-stores/{id}/items/{item_id}", () => {
  it("answers 204; the item answers 404 and leaves the list, item_count and its collections; the platform's item is deleted", async () => {
    const api = await tenant();
    const store = await api.store();
    const [gone, stays] = [await api.readyItem(store._id), await api.readyItem(store._id)];
    const collection = await api.collection(store._id);
    await api.post(`/knowledge-stores/${store._id}/item-collections/${collection._id}/items/add`, { item_ids: [gone._id, stays._id] });
    await api.synced(store._id, collection._id);
    const [storeUp, goneUp, staysUp] = [await upstreamId("knowledgeStore", store._id), await upstreamId("knowledgeStoreItem", gone._id), await upstreamId("knowledgeStoreItem", stays._id)];
    expect(await upstreamMembers(store._id, collection._id)).toEqual([goneUp, staysUp].sort());

    const res = await api.delete(`/knowledge-stores/${store._id}/items/${gone._id}`);
    expect(res.status).toBe(204);
    expect((await api.get(`/knowledge-stores/${store._id}/items/${gone._id}`)).status).toBe(404);
    expect((await readJson(api.get(`/knowledge-stores/${store._id}/items`))).data.map((i: Json) => i._id)).toEqual([stays._id]);
    expect((await readJson(api.get(`/knowledge-stores/${store._id}`))).item_count).toBe(1);
    expect((await readJson(api.get(`/knowledge-stores/${store._id}/item-collections/${collection._id}`))).member_count).toBe(1);
    expect((await readJson(api.get(`/knowledge-stores/${store._id}/item-collections/${collection._id}/items`))).data.map((i: Json) => i._id)).toEqual([stays._id]);
    expect((await api.delete(`/knowledge-stores/${store._id}/items/${gone._id}`)).status).toBe(404);

    expect(await api.job(res.headers.get("x-job-id")!)).toMatchObject({ type: "item.delete", status: "succeeded" });
    expect(statusOf(await platform.knowledgeStoreItems.retrieve(storeUp, goneUp, once).catch((e: unknown) => e))).toBe(404);
    await api.synced(store._id, collection._id);
    expect(await upstreamMembers(store._id, collection._id)).toEqual([staysUp]);
    expect(await eventTypes(gone._id)).toEqual(expect.arrayContaining(["knowledge_store_item.ready", "knowledge_store_item.deleted"]));
    expect((await eventTypes(collection._id)).filter((type) => type.endsWith(".updated")).length).toBeGreaterThanOrEqual(2);
  });

  it("while it is indexing > its index job is cancelled without a cleanup job, and the one delete job removes the platform's copy", async () => {
    const api = await tenant();
    const store = await api.store();
    const item = await api.item(store._id);
    const itemUp = await upstreamId("knowledgeStoreItem", item._id);
    const res = await api.delete(`/knowledge-stores/${store._id}/items/${item._id}`);
    expect(res.status).toBe(204);
    expect(await api.job(item.job_id)).toMatchObject({ type: "item.index", status: "cancelled", last_error: { code: "resource_deleted" } });
    expect(await api.job(res.headers.get("x-job-id")!)).toMatchObject({ status: "succeeded" });
    expect(await stack.prisma.job.count({ where: { resourceId: item._id, type: "item.cleanup" } })).toBe(0);
    const storeUp = await upstreamId("knowledgeStore", store._id);
    expect(statusOf(await platform.knowledgeStoreItems.retrieve(storeUp, itemUp, once).catch((e: unknown) => e))).toBe(404);
  });

  it("when the item is unknown, of another store or another tenant > 404", async () => {
    const api = await tenant();
    const [store, other] = [await api.store(), await api.store()];
    const item = await api.item(store._id);
    expect((await api.delete(`/knowledge-stores/${store._id}/items/ksi_missing`)).status).toBe(404);
    expect((await api.delete(`/knowledge-stores/${other._id}/items/${item._id}`)).status).toBe(404);
    expect((await (await tenant()).delete(`/knowledge-stores/${store._id}/items/${item._id}`)).status).toBe(404);
    expect((await api.get(`/knowledge-stores/${store._id}/items/${item._id}`)).status).toBe(200);
  });
});

describe("/v1.3/knowledge-stores/{id}/item-collections", () => {
  it("POST answers 201 with an empty ksic_ collection, GET returns it, and the platform holds a copy stamped with Reelay's id", async () => {
    const api = await tenant();
    const store = await api.store();
    const res = await api.post(`/knowledge-stores/${store._id}/item-collections`, { name: "Q1 highlights", description: "best of", metadata: { owner: "ops" } });
    expect(res.status).toBe(201);
    const created = await readJson(res);
    expect(created).toEqual({
      _id: expect.stringMatching(/^ksic_[0-9a-f-]{36}$/),
      knowledge_store_id: store._id,
      name: "Q1 highlights",
      description: "best of",
      metadata: { owner: "ops" },
      member_count: 0,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      sync_status: "pending",
      job_id: res.headers.get("x-job-id"),
    });
    expect(await api.job(created.job_id)).toMatchObject({ type: "collection.sync", status: "succeeded", resource: { type: "knowledge_store_item_collection", id: created._id } });
    expect(await readJson(api.get(`/knowledge-stores/${store._id}/item-collections/${created._id}`))).toMatchObject({ ...created, sync_status: "synced", updated_at: expect.any(String) });
    const upstream = await platform.knowledgeStoreItemCollections.retrieve(await upstreamId("knowledgeStore", store._id), await upstreamId("itemCollection", created._id), once);
    expect(upstream).toMatchObject({ name: "Q1 highlights", description: "best of", metadata: { owner: "ops", reelay_id: created._id }, memberCount: 0 });
    expect(await eventTypes(created._id)).toEqual(["knowledge_store_item_collection.created", "knowledge_store_item_collection.synced"]);
  });

  it("when the name is missing or already used in the store > 400; another store may reuse it, and so may a new collection once the first is deleted", async () => {
    const api = await tenant();
    const store = await api.store();
    expect(await readJson(api.post(`/knowledge-stores/${store._id}/item-collections`, {}))).toMatchObject({ code: "parameter_not_provided", message: "The name parameter is required." });
    const first = await api.collection(store._id, { name: "dup" });
    const again = await api.post(`/knowledge-stores/${store._id}/item-collections`, { name: "dup" });
    expect(again.status).toBe(400);
    expect((await readJson(again)).message).toContain("already has an item collection named");
    await api.collection((await api.store())._id, { name: "dup" });
    await api.synced(store._id, first._id);

    expect((await api.delete(`/knowledge-stores/${store._id}/item-collections/${first._id}`)).status).toBe(204);
    const reborn = await api.collection(store._id, { name: "dup" });
    await api.synced(store._id, reborn._id);
    const named = (await platform.knowledgeStoreItemCollections.list(await upstreamId("knowledgeStore", store._id), { pageLimit: 50 }, once)).data.filter((c) => c.name === "dup");
    expect(named.map((c) => c.metadata?.reelay_id)).toEqual([reborn._id]);
  });

  it("lists sorted by created_at, updated_at or name, and pages", async () => {
    const api = await tenant();
    const store = await api.store();
    for (const name of ["beta", "alpha", "gamma"]) await api.collection(store._id, { name });
    const names = async (query: string) => (await readJson(api.get(`/knowledge-stores/${store._id}/item-collections${query}`))).data.map((c: Json) => c.name);
    expect(await names("")).toEqual(["gamma", "alpha", "beta"]);
    expect(await names("?sort_by=name&sort_option=asc")).toEqual(["alpha", "beta", "gamma"]);
    expect(await names("?sort_by=name&page_limit=2&page=2")).toEqual(["alpha"]);
    expect((await readJson(api.get(`/knowledge-stores/${store._id}/item-collections?page_limit=2`))).page_info).toEqual({ limit_per_page: 2, page: 1, total_page: 2, total_results: 3 });
    expect((await api.get(`/knowledge-stores/${store._id}/item-collections?sort_by=size`)).status).toBe(400);
  });

  it("PATCH changes name, description and metadata (replaced in full); the platform's copy follows", async () => {
    const api = await tenant();
    const store = await api.store();
    const collection = await api.collection(store._id, { name: "before", metadata: { a: "1" } });
    const res = await api.patch(`/knowledge-stores/${store._id}/item-collections/${collection._id}`, { name: "after", description: "now described", metadata: { b: "2" } });
    expect(res.status).toBe(200);
    expect(await readJson(res)).toMatchObject({ name: "after", description: "now described", metadata: { b: "2" }, sync_status: "pending" });
    await api.synced(store._id, collection._id);
    const upstream = await platform.knowledgeStoreItemCollections.retrieve(await upstreamId("knowledgeStore", store._id), await upstreamId("itemCollection", collection._id), once);
    expect(upstream).toMatchObject({ name: "after", description: "now described", metadata: { b: "2", reelay_id: collection._id } });
  });

  it("adds items idempotently in the order given, lists them in that order, removes them (204) ignoring non-members; an item of another store adds none (400)", async () => {
    const api = await tenant();
    const store = await api.store();
    const [first, second] = [await api.item(store._id), await api.item(store._id)];
    const elsewhere = await api.item((await api.store())._id);
    const base = `/knowledge-stores/${store._id}/item-collections/${(await api.collection(store._id))._id}`;
    const added = await api.post(`${base}/items/add`, { item_ids: [second._id, first._id, second._id] });
    expect(added.status).toBe(200);
    expect(await readJson(added)).toMatchObject({ member_count: 2 });
    expect((await readJson(api.post(`${base}/items/add`, { item_ids: [first._id] }))).member_count).toBe(2);
    const members = await readJson(api.get(`${base}/items`));
    expect(members.data.map((i: Json) => i._id)).toEqual([second._id, first._id]);
    expect(members.data[0]).toMatchObject({ asset_id: await api.asset(), asset_type: "video" });
    expect(members.page_info).toEqual({ limit_per_page: 10, page: 1, total_page: 1, total_results: 2 });

    const refused = await api.post(`${base}/items/add`, { item_ids: [first._id, elsewhere._id] });
    expect(refused.status).toBe(400);
    expect((await readJson(refused)).message).toContain(elsewhere._id);
    expect((await api.post(`${base}/items/add`, { item_ids: [] })).status).toBe(400);

    const removed = await api.post(`${base}/items/remove`, { item_ids: [second._id, "ksi_not_a_member"] });
    expect(removed.status).toBe(204);
    expect((await readJson(api.get(`${base}/items`))).data.map((i: Json) => i._id)).toEqual([first._id]);
    expect((await api.get(`/knowledge-stores/${store._id}/items/${second._id}`)).status).toBe(200);
  });

  it("the platform's copy holds exactly the indexed members, by the platform's item ids; a member added while indexing is pushed once it is indexed", async () => {
    const api = await tenant();
    const store = await api.store();
    const indexed = await api.readyItem(store._id);
    const collection = await api.collection(store._id);
    const indexing = await api.item(store._id);
    await api.post(`/knowledge-stores/${store._id}/item-collections/${collection._id}/items/add`, { item_ids: [indexed._id, indexing._id] });
    await api.synced(store._id, collection._id);
    expect(await upstreamMembers(store._id, collection._id)).toEqual(expect.arrayContaining([await upstreamId("knowledgeStoreItem", indexed._id)]));

    await pollUntil(() => readJson(api.get(`/knowledge-stores/${store._id}/items/${indexing._id}`)), (i) => i.status === "ready");
    const both = [await upstreamId("knowledgeStoreItem", indexed._id), await upstreamId("knowledgeStoreItem", indexing._id)].sort();
    await pollUntil(async () => (await readJson(api.get(`/knowledge-stores/${store._id}/item-collections/${collection._id}`))).sync_status === "synced" && (await upstreamMembers(store._id, collection._id)).join() === both.join(), Boolean);
    // The member's readiness made the collection fall behind, in the transition that made it ready.
    const events = await stack.prisma.event.findMany({ where: { resourceId: { in: [indexing._id, collection._id] } }, orderBy: { createdAt: "asc" } });
    const readyAt = events.findIndex((e) => e.type === "knowledge_store_item.ready");
    expect(events.slice(readyAt).map((e) => e.type)).toEqual(expect.arrayContaining(["knowledge_store_item_collection.updated", "knowledge_store_item_collection.synced"]));
  });

  it("DELETE answers 204 and keeps the items; the platform's copy is deleted", async () => {
    const api = await tenant();
    const store = await api.store();
    const item = await api.readyItem(store._id);
    const collection = await api.collection(store._id);
    await api.post(`/knowledge-stores/${store._id}/item-collections/${collection._id}/items/add`, { item_ids: [item._id] });
    await api.synced(store._id, collection._id);
    const [storeUp, collectionUp] = [await upstreamId("knowledgeStore", store._id), await upstreamId("itemCollection", collection._id)];
    const res = await api.delete(`/knowledge-stores/${store._id}/item-collections/${collection._id}`);
    expect(res.status).toBe(204);
    expect((await api.get(`/knowledge-stores/${store._id}/item-collections/${collection._id}`)).status).toBe(404);
    expect((await readJson(api.get(`/knowledge-stores/${store._id}/item-collections`))).data).toEqual([]);
    expect((await api.get(`/knowledge-stores/${store._id}/items/${item._id}`)).status).toBe(200);
    expect(await api.job(res.headers.get("x-job-id")!)).toMatchObject({ type: "collection.delete", status: "succeeded" });
    expect(statusOf(await platform.knowledgeStoreItemCollections.retrieve(storeUp, collectionUp, once).catch((e: unknown) => e))).toBe(404);
    expect(await platform.knowledgeStoreItems.retrieve(storeUp, await upstreamId("knowledgeStoreItem", item._id), once)).toMatchObject({ status: "ready" });
  });

  it("when the collection or store is unknown, deleted, or another tenant's > 404 with resource_not_exist", async () => {
    const api = await tenant();
    const store = await api.store();
    const collection = await api.collection(store._id);
    const other = await api.store();
    const base = `/knowledge-stores/${store._id}/item-collections`;
    for (const res of [
      await api.get(`/knowledge-stores/${other._id}/item-collections/${collection._id}`),
      await api.get(`${base}/ksic_missing/items`),
      await api.get("/knowledge-stores/ks_missing/item-collections"),
      await api.patch(`${base}/ksic_missing`, { name: "x" }),
      await api.post(`${base}/ksic_missing/items/add`, { item_ids: ["ksi_x"] }),
      await api.post(`${base}/ksic_missing/items/remove`, { item_ids: ["ksi_x"] }),
      await (await tenant()).get(`${base}/${collection._id}`),
    ]) {
      expect(res.status).toBe(404);
      expect((await readJson(res)).code).toBe("resource_not_exist");
    }
  });
});

describe("POST /v1.3/responses with a collection selection", () => {
  it("asks about the collection's items only, once the platform's copy is synced, and cites them by Reelay's ids", async () => {
    const api = await tenant();
    const store = await api.store();
    const [chosen, left] = [await api.readyItem(store._id), await api.readyItem(store._id)];
    const collection = await api.collection(store._id);
    // Asked right after the add: the question waits for the push instead of missing the member.
    await api.post(`/knowledge-stores/${store._id}/item-collections/${collection._id}/items/add`, { item_ids: [chosen._id] });
    const res = await api.post("/responses", {
      knowledge_store_id: store._id,
      input: [{ type: "message", role: "user", content: "What happens in {{sel:0}}?" }],
      selections: [{ kind: "collection", id: collection._id }],
    });
    expect(res.status).toBe(200);
    const answer = await readJson(res);
    expect(answer.status).toBe("completed");
    const cited = new Set(answer.output.flatMap((o: Json) => (o.content ?? []).flatMap((c: Json) => (c.annotations ?? []).map((a: Json) => a.item_id))));
    expect([...cited]).toEqual([chosen._id]);
    expect(cited.has(left._id)).toBe(false);
    expect(JSON.stringify(answer)).not.toContain(await upstreamId("itemCollection", collection._id));
  });

  it("when the collection is unknown, deleted or of another store > 404; an id without ksic_ > 400", async () => {
    const api = await tenant();
    const [store, other] = [await api.store(), await api.store()];
    const theirs = await api.collection(other._id);
    const ask = (selection: Json) => api.post("/responses", { knowledge_store_id: store._id, input: [{ type: "message", role: "user", content: "hi" }], selections: [selection] });
    expect((await ask({ kind: "collection", id: "ksic_missing" })).status).toBe(404);
    expect((await ask({ kind: "collection", id: theirs._id })).status).toBe(404);
    const misprefixed = await ask({ kind: "collection", id: "ksi_abc" });
    expect(misprefixed.status).toBe(400);
    expect((await readJson(misprefixed)).errors[0].field).toBe("selections.0.id");
  });
});

describe("POST /v1.3/knowledge-stores/{id}/search", () => {
  let api: Awaited<ReturnType<typeof tenant>>;
  let store: Json;
  let first: Json;
  let second: Json;

  beforeAll(async () => {
    api = await tenant();
    store = await api.store({ name: "searchable" });
    first = await api.readyItem(store._id, { metadata: { camera: "a" } });
    second = await api.readyItem(store._id);
  });
  const search = (body: Json, storeId = store._id) => api.post(`/knowledge-stores/${storeId}/search`, body);

  it("answers the platform's ranked hits with Reelay's item ids, and metadata without Reelay's stamp", async () => {
    const res = await search({ query: { text: "sample" }, include_metadata: true, group_by: "item" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-job-id")).toMatch(/^job_/);
    const body = await readJson(res);
    expect(body.effective_search_options).toEqual({ video: { modalities: ["visual"] } });
    expect(body.data.map((hit: Json) => hit.item_id).sort()).toEqual([first._id, second._id].sort());
    const hit = body.data.find((h: Json) => h.item_id === first._id);
    expect(hit).toMatchObject({ asset_type: "video", rank: expect.any(Number), metadata: { user: { camera: "a" }, system: { duration: expect.any(Number) } }, matches: expect.any(Array) });
    expect(body.data.find((h: Json) => h.item_id === second._id).metadata.user).toBeUndefined();
    expect(JSON.stringify(body)).not.toContain("reelay_id");
    expect(await api.job(res.headers.get("x-job-id")!)).toMatchObject({ type: "search.run", status: "succeeded", resource: { type: "knowledge_store_search" } });
  });

  it("pages with the platform's next_page_token: a request with it answers the next page", async () => {
    const page1 = await readJson(search({ query: { text: "sample" }, page_size: 2 }));
    expect(page1.data.map((h: Json) => h.rank)).toEqual([1, 2]);
    expect(page1.next_page_token).toEqual(expect.any(String));
    const page2 = await readJson(search({ query: { text: "sample" }, page_size: 2, page_token: page1.next_page_token }));
    expect(page2.data.map((h: Json) => h.rank)).toEqual([3, 4]);
    for (const hit of [...page1.data, ...page2.data]) expect([first._id, second._id]).toContain(hit.item_id);
  });

  it("filters by Reelay's item ids", async () => {
    const eq = await readJson(search({ query: { text: "sample" }, filter: { item_id: { eq: second._id } } }));
    expect(new Set(eq.data.map((h: Json) => h.item_id))).toEqual(new Set([second._id]));
    const unknown = await readJson(search({ query: { text: "sample" }, filter: { item_id: { in: ["ksi_unknown"] } } }));
    expect(unknown.data).toEqual([]);
  });

  it("when the page token is malformed > 400; when it expired > 410 with the platform's code", async () => {
    const bad = await search({ query: { text: "sample" }, page_token: "not-a-token" });
    expect(bad.status).toBe(400);
    expect((await readJson(bad)).code).toBe("parameter_invalid");
    const token = (await readJson(search({ query: { text: "sample" }, page_size: 1 }))).next_page_token;
    // The platform forgets page tokens after 30 minutes; the emulator runs in this process.
    await pollUntil(() => stack.prisma.job.count({ where: { status: { in: ["queued", "running", "waiting_remote"] } } }), (n) => n === 0);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 31 * 60_000);
      const expired = await search({ query: { text: "sample" }, page_token: token });
      expect(expired.status).toBe(410);
      expect(await readJson(expired)).toMatchObject({ code: "page_token_expired", message: expect.stringContaining("expired"), status: 410 });
    } finally {
      vi.useRealTimers();
    }
  });

  it("when the store is unknown, deleted or another tenant's > 404; when the query is missing > 400 naming it", async () => {
    expect((await search({ query: { text: "x" } }, "ks_missing")).status).toBe(404);
    expect((await (await tenant()).post(`/knowledge-stores/${store._id}/search`, { query: { text: "x" } })).status).toBe(404);
    const missing = await search({});
    expect(missing.status).toBe(400);
    expect(await readJson(missing)).toMatchObject({ code: "parameter_not_provided", errors: [{ field: "query" }] });
    const gone = await api.store();
    await api.delete(`/knowledge-stores/${gone._id}`);
    expect((await search({ query: { text: "x" } }, gone._id)).status).toBe(404);
  });

  it("when the answer takes longer than the wait > 504 saying to send it again; sent again, it waits for the same search and answers", async () => {
    const connection = createProducerConnection(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
    const queue = createQueue(connection, stack.workerConfig.QUEUE_PREFIX);
    const webhookQueue = createWebhookQueue(connection, stack.workerConfig.QUEUE_PREFIX);
    const hub = new EventHub({ databaseUrl: stack.databaseUrl });
    hub.start();
    await hub.ready();
    const impatient = createApp({
      prisma: stack.prisma,
      queue,
      webhookQueue,
      hub,
      redis: connection,
      config: { BLOB_DIR: stack.blobDir, RESPONSE_TIMEOUT_MS: 300, JSON_BODY_LIMIT: "1mb", MAX_UPLOAD_BYTES: 1_000, WEBHOOK_PRIVATE_TARGETS: "none" },
    });
    const searchPath = "/knowledge-stores/:knowledge_store_id/search";
    stack.emulator!.faults.set({ rules: [{ kind: "latency", ms: 2_000, count: 1, match: { method: "POST", path: searchPath } }] });
    stack.emulator!.faults.resetStats();
    try {
      const body = { query: { text: "a slow one" } };
      const slow = await request(impatient).post(`/v1.3/knowledge-stores/${store._id}/search`).set("x-api-key", api.apiKey).send(body);
      expect(slow.status).toBe(504);
      expect(slow.body).toMatchObject({ code: "request_canceled_or_timed_out", message: expect.stringContaining("Send the same request again") });
      const again = await search(body);
      expect(again.status).toBe(200);
      expect(again.headers.get("x-job-id")).toBe(slow.headers["x-job-id"]);
      expect(await readJson(again)).toMatchObject({ data: expect.any(Array), effective_search_options: expect.any(Object) });
      expect(stack.emulator!.faults.stats().requests[`POST ${searchPath}`]).toBe(1);
    } finally {
      stack.emulator!.faults.clear();
      await hub.close();
      await queue.close();
      await webhookQueue.close();
      connection.disconnect();
    }
  });
});
