import { describe, expect, it } from "vitest";
import { CreateAssetForm, CreateKnowledgeStoreBody, CreateResponseBody, PageQuery, pageInfo } from "./index.ts";

describe("the wire contract", () => {
  it("normalises an untagged (April) enrichment config to the tagged (July) form", () => {
    const body = CreateKnowledgeStoreBody.parse({ name: "s", ingestion_config: { enrichment_config: { description: "people" } } });
    expect(body.ingestion_config).toEqual({ enrichment_config: { type: "description", description: "people" } });
    const schema = { type: "object", properties: { who: { type: "string", description: "who" } } };
    expect(CreateKnowledgeStoreBody.parse({ name: "s", ingestion_config: { enrichment_config: { json_schema: schema } } }).ingestion_config?.enrichment_config).toEqual({ type: "json_schema", json_schema: schema });
  });

  it("accepts the store either at the top level or as exactly one knowledge_store tool", () => {
    const input = [{ type: "message", role: "user", content: "hi" }];
    expect(CreateResponseBody.parse({ knowledge_store_id: "ks_1", input }).knowledge_store_id).toBe("ks_1");
    expect(CreateResponseBody.parse({ tools: [{ type: "knowledge_store", knowledge_store_id: "ks_2" }], input }).knowledge_store_id).toBe("ks_2");
    expect(CreateResponseBody.safeParse({ knowledge_store_id: "ks_1", tools: [{ type: "knowledge_store", knowledge_store_id: "ks_2" }], input }).success).toBe(false);
  });

  it("reads multipart form fields: booleans as strings, user_metadata as JSON text", () => {
    const form = CreateAssetForm.parse({ method: "url", url: "https://x.test/a.mp4", enable_hls: "true", user_metadata: '{"k":"v","n":1}' });
    expect(form).toMatchObject({ enable_hls: true, user_metadata: { k: "v", n: 1 } });
    expect(CreateAssetForm.safeParse({ method: "url", url: "https://x.test/a.mp4", user_metadata: '{"nested":{"no":1}}' }).success).toBe(false);
  });

  it("pages with the platform's defaults and reports total_page", () => {
    const query = PageQuery.parse({});
    expect(query).toEqual({ page: 1, page_limit: 10 });
    expect(pageInfo({ page: 2, page_limit: 10 }, 25)).toEqual({ limit_per_page: 10, page: 2, total_page: 3, total_results: 25 });
  });
});
