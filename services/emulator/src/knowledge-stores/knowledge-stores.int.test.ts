import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../start-emulator.ts";
import { rawClient, startTestEmulator } from "../testing/emulator-fixtures.ts";

describe("/v1.3/knowledge-stores", () => {
  let emulator: RunningEmulator;
  let api: ReturnType<typeof rawClient>;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    api = rawClient(emulator.url);
  });
  afterAll(() => emulator?.close());

  it("accepts the April untagged enrichment_config and echoes it tagged", async () => {
    const res = await api("POST", "/knowledge-stores", { name: "april", ingestion_config: { enrichment_config: { description: "Summarise each shot" } } });
    expect(res.status).toBe(201);
    expect(res.json.ingestion_config).toEqual({ enrichment_config: { type: "description", description: "Summarise each shot" } });
    expect(res.json).toMatchObject({ name: "april", item_count: 0, _id: expect.stringMatching(/^ks_/) });

    const schema = { type: "object", properties: { mood: { type: "string", description: "mood of the shot" } } };
    const tagged = await api("POST", "/knowledge-stores", { name: "schema", ingestion_config: { enrichment_config: { json_schema: schema } } });
    expect(tagged.json.ingestion_config.enrichment_config).toEqual({ type: "json_schema", json_schema: schema });
    expect((await api("GET", `/knowledge-stores/${res.json._id}`)).json.ingestion_config.enrichment_config.type).toBe("description");
  });

  it("when the name is missing > answers 400 parameter_not_provided naming it", async () => {
    const res = await api("POST", "/knowledge-stores", { description: "no name" });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ code: "parameter_not_provided", message: "The name parameter is required." });
  });

  it("when the enrichment config is neither kind > answers 400 parameter_invalid", async () => {
    const res = await api("POST", "/knowledge-stores", { name: "x", ingestion_config: { enrichment_config: { type: "vibes" } } });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe("parameter_invalid");
  });

  it("lists sorted by sort_by/sort_option and returns data: [] past the last page", async () => {
    const isolated = await startTestEmulator();
    const local = rawClient(isolated.url);
    try {
      const names = ["one", "two", "three"];
      for (const name of names) await local("POST", "/knowledge-stores", { name });
      const desc = await local("GET", "/knowledge-stores");
      expect(desc.json.data.map((s: { name: string }) => s.name)).toEqual(["three", "two", "one"]);
      const asc = await local("GET", "/knowledge-stores?sort_option=asc&page_limit=2");
      expect(asc.json.data.map((s: { name: string }) => s.name)).toEqual(["one", "two"]);
      expect(asc.json.page_info).toEqual({ limit_per_page: 2, page: 1, total_page: 2, total_results: 3 });
      expect((await local("GET", "/knowledge-stores?page=9")).json.data).toEqual([]);
      expect((await local("GET", "/knowledge-stores?sort_by=name")).status).toBe(400);
    } finally {
      await isolated.close();
    }
  });

  it("updates name and metadata, and deletes: 204 then 404", async () => {
    const store = (await api("POST", "/knowledge-stores", { name: "before", metadata: { a: "1" } })).json;
    const patched = await api("PATCH", `/knowledge-stores/${store._id}`, { name: "after", metadata: { b: "2" } });
    expect(patched.json).toMatchObject({ name: "after", metadata: { b: "2" } });
    expect((await api("DELETE", `/knowledge-stores/${store._id}`)).status).toBe(204);
    expect((await api("GET", `/knowledge-stores/${store._id}`)).status).toBe(404);
    expect((await api("DELETE", `/knowledge-stores/${store._id}`)).json.code).toBe("resource_not_exist");
  });

  it("PATCH replaces metadata in full (null stored as \"\", {} clears), leaves the ingestion config alone, and moves updated_at", async () => {
    const config = { enrichment_config: { type: "description", description: "keep me" } };
    const store = (await api("POST", "/knowledge-stores", { name: "meta", description: "d", metadata: { a: "1", b: "2" }, ingestion_config: config })).json;
    const patched = await api("PATCH", `/knowledge-stores/${store._id}`, { metadata: { b: null, c: "3" }, ingestion_config: { enrichment_config: { type: "description", description: "ignored" } } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ name: "meta", description: "d", metadata: { b: "", c: "3" }, ingestion_config: config });
    expect(Date.parse(patched.json.updated_at)).toBeGreaterThanOrEqual(Date.parse(store.updated_at));
    expect((await api("PATCH", `/knowledge-stores/${store._id}`, { metadata: {} })).json.metadata).toEqual({});
    expect((await api("PATCH", `/knowledge-stores/${store._id}`, { name: "" })).status).toBe(400);
    expect((await api("PATCH", "/knowledge-stores/ks_missing", { name: "x" })).status).toBe(404);
  });
});
