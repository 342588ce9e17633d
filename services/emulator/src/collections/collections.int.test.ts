import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileServer } from "@reelay/sample-media";
import type { RunningEmulator } from "../start-emulator.ts";
import { pollUntil, rawClient, serveSampleMedia, startTestEmulator } from "../testing/emulator-fixtures.ts";

describe("/v1.3/knowledge-stores/{id}/item-collections", () => {
  let emulator: RunningEmulator;
  let files: FileServer;
  let api: ReturnType<typeof rawClient>;
  let assetId: string;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    ({ files } = await serveSampleMedia());
    api = rawClient(emulator.url);
    const form = new FormData();
    form.set("method", "url");
    form.set("url", files.url("sample.mp4"));
    assetId = (await api("POST", "/assets", form)).json._id;
    await pollUntil(() => api("GET", `/assets/${assetId}`), (r) => r.json.status === "ready");
  });
  afterAll(async () => {
    await emulator?.close();
    await files?.close();
  });

  const newStore = async () => (await api("POST", "/knowledge-stores", { name: "with collections" })).json._id as string;
  const newItem = async (storeId: string) => (await api("POST", `/knowledge-stores/${storeId}/items`, { asset_id: assetId })).json._id as string;
  const base = (storeId: string) => `/knowledge-stores/${storeId}/item-collections`;

  it("POST answers 201 with an empty ksic_ collection; GET returns it", async () => {
    const storeId = await newStore();
    const created = await api("POST", base(storeId), { name: "Q1 highlights", description: "best of", metadata: { owner: "ops" } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      _id: expect.stringMatching(/^ksic_[0-9a-f-]{36}$/),
      knowledge_store_id: storeId,
      name: "Q1 highlights",
      description: "best of",
      metadata: { owner: "ops" },
      member_count: 0,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect((await api("GET", `${base(storeId)}/${created.json._id}`)).json).toEqual(created.json);
  });

  it("when the name is missing or already used in the store > answers 400; another store may reuse it", async () => {
    const storeId = await newStore();
    expect((await api("POST", base(storeId), {})).json).toEqual({ code: "parameter_not_provided", message: "The name parameter is required." });
    await api("POST", base(storeId), { name: "dup" });
    const again = await api("POST", base(storeId), { name: "dup" });
    expect(again.status).toBe(400);
    expect(again.json.message).toContain("already has an item collection named");
    expect((await api("POST", base(await newStore()), { name: "dup" })).status).toBe(201);
  });

  it("lists sorted by created_at, updated_at or name, and pages", async () => {
    const storeId = await newStore();
    for (const name of ["beta", "alpha", "gamma"]) await api("POST", base(storeId), { name });
    const names = async (query: string) => (await api("GET", `${base(storeId)}${query}`)).json.data.map((c: { name: string }) => c.name);
    expect(await names("")).toEqual(["gamma", "alpha", "beta"]);
    expect(await names("?sort_by=name&sort_option=asc")).toEqual(["alpha", "beta", "gamma"]);
    expect(await names("?sort_by=name&page_limit=2&page=2")).toEqual(["alpha"]);
    expect((await api("GET", `${base(storeId)}?sort_by=size`)).status).toBe(400);
  });

  it("PATCH changes name, description and metadata (replaced in full); DELETE answers 204 and keeps the items", async () => {
    const storeId = await newStore();
    const itemId = await newItem(storeId);
    const id = (await api("POST", base(storeId), { name: "before", metadata: { a: "1" } })).json._id;
    await api("POST", `${base(storeId)}/${id}/items/add`, { item_ids: [itemId] });
    const patched = await api("PATCH", `${base(storeId)}/${id}`, { name: "after", metadata: { b: "2" } });
    expect(patched.json).toMatchObject({ name: "after", metadata: { b: "2" }, member_count: 1 });
    expect(Date.parse(patched.json.updated_at)).toBeGreaterThanOrEqual(Date.parse(patched.json.created_at));

    expect((await api("DELETE", `${base(storeId)}/${id}`)).status).toBe(204);
    expect((await api("GET", `${base(storeId)}/${id}`)).status).toBe(404);
    expect((await api("GET", `/knowledge-stores/${storeId}/items/${itemId}`)).status).toBe(200);
  });

  it("adds items idempotently, lists them in the order added, and removes them (204), ignoring non-members", async () => {
    const storeId = await newStore();
    const [first, second] = [await newItem(storeId), await newItem(storeId)];
    const id = (await api("POST", base(storeId), { name: "members" })).json._id;

    const added = await api("POST", `${base(storeId)}/${id}/items/add`, { item_ids: [second, first, second] });
    expect(added.status).toBe(200);
    expect(added.json).toMatchObject({ _id: id, member_count: 2 });
    expect((await api("POST", `${base(storeId)}/${id}/items/add`, { item_ids: [first] })).json.member_count).toBe(2);

    const members = await api("GET", `${base(storeId)}/${id}/items`);
    expect(members.json.data.map((item: { _id: string }) => item._id)).toEqual([second, first]);
    expect(members.json.data[0]).toMatchObject({ asset_id: assetId, asset_type: "video", system_metadata: { asset_type: "video" } });
    expect(members.json.page_info).toEqual({ limit_per_page: 10, page: 1, total_page: 1, total_results: 2 });

    const removed = await api("POST", `${base(storeId)}/${id}/items/remove`, { item_ids: [second, "ksi_not_a_member"] });
    expect(removed.status).toBe(204);
    expect((await api("GET", `${base(storeId)}/${id}/items`)).json.data.map((item: { _id: string }) => item._id)).toEqual([first]);
  });

  it("when an item is not in the store > add answers 400 and adds none; more than 500 ids > 400", async () => {
    const storeId = await newStore();
    const member = await newItem(storeId);
    const elsewhere = await newItem(await newStore());
    const id = (await api("POST", base(storeId), { name: "strict" })).json._id;
    const res = await api("POST", `${base(storeId)}/${id}/items/add`, { item_ids: [member, elsewhere] });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain(elsewhere);
    expect((await api("GET", `${base(storeId)}/${id}`)).json.member_count).toBe(0);
    expect((await api("POST", `${base(storeId)}/${id}/items/add`, { item_ids: Array.from({ length: 501 }, () => member) })).status).toBe(400);
    expect((await api("POST", `${base(storeId)}/${id}/items/add`, { item_ids: [] })).status).toBe(400);
  });

  it("a deleted item leaves its collections; a deleted store takes its collections along", async () => {
    const storeId = await newStore();
    const itemId = await newItem(storeId);
    const id = (await api("POST", base(storeId), { name: "shrinks" })).json._id;
    await api("POST", `${base(storeId)}/${id}/items/add`, { item_ids: [itemId] });
    await api("DELETE", `/knowledge-stores/${storeId}/items/${itemId}`);
    expect((await api("GET", `${base(storeId)}/${id}`)).json.member_count).toBe(0);

    await api("DELETE", `/knowledge-stores/${storeId}`);
    expect((await api("GET", `${base(storeId)}/${id}`)).status).toBe(404);
  });

  it("when the collection or store is unknown, or belongs to another store > answers 404", async () => {
    const storeId = await newStore();
    const id = (await api("POST", base(storeId), { name: "mine" })).json._id;
    expect((await api("GET", `${base(await newStore())}/${id}`)).status).toBe(404);
    expect((await api("GET", `${base(storeId)}/ksic_missing/items`)).json.code).toBe("resource_not_exist");
    expect((await api("GET", `${base("ks_missing")}`)).status).toBe(404);
  });
});
