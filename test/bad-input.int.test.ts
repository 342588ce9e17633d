import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJson, startTestStack, type TestStack } from "./support/stack.ts";

let stack: TestStack;
let key: string;
let tenantId: string;

beforeAll(async () => {
  stack = await startTestStack({ env: { JSON_BODY_LIMIT: "4kb", MAX_UPLOAD_BYTES: "1000" } });
  ({ apiKey: key, tenantId } = await stack.newTenant());
});
afterAll(async () => stack?.close());

const post = (path: string, body: string | FormData, headers: Record<string, string> = {}) =>
  fetch(`${stack.base}${path}`, { method: "POST", headers: { "x-api-key": key, ...headers }, body });
const postJson = (path: string, body: unknown) => post(path, typeof body === "string" ? body : JSON.stringify(body), { "content-type": "application/json" });
const form = (fields: Record<string, string | Blob>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

async function expectError(res: Response, status: number, code: string, field?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/json/);
  const body = await readJson(res);
  expect(body).toMatchObject({ code, message: expect.any(String), status, type: expect.stringMatching(/^urn:reelay:error:/) });
  expect(body.request_id).toBeTruthy();
  if (field) expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
  return body;
}

describe("bad input answers 4xx with code and message, never 5xx, and writes nothing", () => {
  it("POST /v1.3/knowledge-stores > when the body is malformed JSON > answers 400", async () => {
    await expectError(await postJson("/knowledge-stores", '{"name": "x",'), 400, "parameter_invalid");
  });

  it("POST /v1.3/knowledge-stores > when the name is missing > answers 400 with the field", async () => {
    await expectError(await postJson("/knowledge-stores", { description: "no name" }), 400, "parameter_not_provided", "name");
  });

  it("POST /v1.3/knowledge-stores > when the name is a number > answers 400 with the field", async () => {
    await expectError(await postJson("/knowledge-stores", { name: 42 }), 400, "parameter_invalid", "name");
  });

  it("POST /v1.3/knowledge-stores > when the enrichment config has neither description nor schema > answers 400", async () => {
    await expectError(await postJson("/knowledge-stores", { name: "x", ingestion_config: { enrichment_config: { foo: 1 } } }), 400, "parameter_not_provided", "ingestion_config.enrichment_config.type");
    await expectError(await postJson("/knowledge-stores", { name: "x", ingestion_config: { enrichment_config: { type: "json_schema", json_schema: { type: "array" } } } }), 400, "parameter_invalid");
  });

  it("POST /v1.3/knowledge-stores > when the enrichment JSON schema leaves a property undescribed > answers 422 with the field", async () => {
    const json_schema = { type: "object", properties: { speaker: { type: "string" } } };
    await expectError(
      await postJson("/knowledge-stores", { name: "x", ingestion_config: { enrichment_config: { type: "json_schema", json_schema } } }),
      422,
      "parameter_invalid",
      "ingestion_config.enrichment_config.json_schema.properties.speaker.description",
    );
  });

  it("POST /v1.3/knowledge-stores > when the body is over the size limit > answers 413", async () => {
    await expectError(await postJson("/knowledge-stores", { name: "x", description: "d".repeat(8_000) }), 413, "parameter_invalid");
  });

  it("POST /v1.3/assets > when the URL is not http(s) > answers 400 with the url field", async () => {
    for (const url of ["ftp://example.com/v.mp4", "file:///etc/passwd", "not a url"]) {
      await expectError(await post("/assets", form({ method: "url", url })), 400, "parameter_invalid", "url");
    }
  });

  it("POST /v1.3/assets > when method=url has no url > answers 400", async () => {
    await expectError(await post("/assets", form({ method: "url" })), 400, "parameter_not_provided", "url");
  });

  it("POST /v1.3/assets > when the method is unknown or missing > answers 400 with the method field", async () => {
    await expectError(await post("/assets", form({ method: "carrier-pigeon", url: "http://x/y.mp4" })), 400, "parameter_invalid", "method");
    await expectError(await post("/assets", form({ url: "http://x/y.mp4" })), 400, "parameter_not_provided", "method");
  });

  it("POST /v1.3/assets > when method=direct has no file > answers 400 with the file field", async () => {
    await expectError(await post("/assets", form({ method: "direct" })), 400, "parameter_not_provided", "file");
  });

  it("POST /v1.3/assets > when the uploaded file is over the size limit > answers 413", async () => {
    await expectError(await post("/assets", form({ method: "direct", file: new Blob([new Uint8Array(5_000)], { type: "video/mp4" }) })), 413, "parameter_invalid");
  });

  it("POST /v1.3/assets > when user_metadata is not a JSON object > answers 400", async () => {
    await expectError(await post("/assets", form({ method: "url", url: "http://x/y.mp4", user_metadata: "{oops" })), 400, "parameter_invalid", "user_metadata");
  });

  it("POST /v1.3/knowledge-stores/{id}/items > when the store or the asset is unknown > answers 404", async () => {
    await expectError(await postJson("/knowledge-stores/ks_nope/items", { asset_id: "0123456789abcdef01234567" }), 404, "resource_not_exist");
    const store = await await readJson(await postJson("/knowledge-stores", { name: "s" }));
    await expectError(await postJson(`/knowledge-stores/${store._id}/items`, { asset_id: "0123456789abcdef01234567" }), 404, "resource_not_exist");
    await expectError(await postJson(`/knowledge-stores/${store._id}/items`, {}), 400, "parameter_not_provided", "asset_id");
  });

  it("POST /v1.3/responses > when input is missing, empty or has the wrong role > answers 400", async () => {
    const store = await await readJson(await postJson("/knowledge-stores", { name: "r" }));
    await expectError(await postJson("/responses", { knowledge_store_id: store._id }), 400, "parameter_not_provided", "input");
    await expectError(await postJson("/responses", { knowledge_store_id: store._id, input: [] }), 400, "parameter_invalid", "input");
    await expectError(await postJson("/responses", { knowledge_store_id: store._id, input: [{ type: "message", role: "system", content: "x" }] }), 400, "parameter_invalid", "input.0.role");
    await expectError(await postJson("/responses", { input: [{ type: "message", role: "user", content: "x" }] }), 400, "parameter_not_provided", "knowledge_store_id");
    await expectError(await postJson("/responses", { knowledge_store_id: store._id, model: "gpt-9", input: [{ type: "message", role: "user", content: "x" }] }), 400, "parameter_invalid", "model");
    await expectError(await postJson("/responses", { knowledge_store_id: "ks_unknown", input: [{ type: "message", role: "user", content: "x" }] }), 404, "resource_not_exist");
  });

  it("POST /v1.3/responses > when the platform rejects the question > answers the platform's 4xx and code", async () => {
    const store = await readJson(postJson("/knowledge-stores", { name: "rejected" }));
    const res = await postJson("/responses", {
      knowledge_store_id: store._id,
      input: [{ type: "message", role: "user", content: "as JSON please" }],
      // A schema outside the subset the platform fills: it refuses the question.
      text: { format: { type: "json_schema", name: "x", schema: { type: "object", properties: { a: { anyOf: [{ type: "string" }] } } } } },
    });
    const body = await expectError(res, 400, "parameter_invalid");
    expect(body.message).toMatch(/anyOf/);
    const stored = await stack.prisma.response.findFirstOrThrow({ where: { knowledgeStoreId: store._id } });
    expect(stored.status).toBe("failed");
  });

  it("GET unknown ids and unknown routes > answers 404", async () => {
    const get = (path: string) => fetch(`${stack.base}${path}`, { headers: { "x-api-key": key } });
    await expectError(await get("/assets/0123456789abcdef01234567"), 404, "resource_not_exist");
    await expectError(await get("/knowledge-stores/ks_missing"), 404, "resource_not_exist");
    await expectError(await get("/knowledge-stores/ks_missing/items/ksi_missing"), 404, "resource_not_exist");
    await expectError(await get("/no-such-route"), 404, "resource_not_exist");
  });

  it("requests Node's parser refuses > answer with the same JSON error body: headers past 16 KiB 431, bytes that are not HTTP 400", async () => {
    const raw = (bytes: string) =>
      new Promise<string>((resolve, reject) => {
        const { hostname, port } = new URL(stack.base);
        const socket = connect(Number(port), hostname, () => socket.end(bytes));
        let answer = "";
        socket.on("data", (chunk) => (answer += chunk.toString("utf8"))).on("end", () => resolve(answer)).on("error", reject);
      });
    const parse = (answer: string) => ({ status: Number(answer.split(" ")[1]), body: JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)) });
    const huge = parse(await raw(`GET /v1.3/assets HTTP/1.1\r\nHost: x\r\nx-api-key: ${key}\r\nx-filler: ${"a".repeat(20_000)}\r\n\r\n`));
    expect(huge).toMatchObject({ status: 431, body: { code: "parameter_invalid", status: 431, type: "urn:reelay:error:request/headers_too_large" } });
    const garbage = parse(await raw("NOT HTTP AT ALL\r\n\r\n"));
    expect(garbage).toMatchObject({ status: 400, body: { code: "parameter_invalid", status: 400 } });
  });

  it("GET lists > when page_limit is over 50 > answers 400", async () => {
    await expectError(await fetch(`${stack.base}/assets?page_limit=51`, { headers: { "x-api-key": key } }), 400, "parameter_invalid", "page_limit");
  });

  it("leaves nothing half-written: only the stores created on purpose exist, and no asset, item or accepted response", async () => {
    expect(await stack.prisma.asset.count({ where: { tenantId } })).toBe(0);
    expect(await stack.prisma.knowledgeStoreItem.count({ where: { tenantId } })).toBe(0);
    expect(await stack.prisma.response.count({ where: { tenantId, status: { not: "failed" } } })).toBe(0);
    const stores = await stack.prisma.knowledgeStore.findMany({ where: { tenantId }, select: { name: true } });
    expect(stores.map((s) => s.name).sort()).toEqual(["r", "rejected", "s"]);
  });
});

describe("auth", () => {
  it("answers 401 without a key and with a wrong key", async () => {
    await expectError(await fetch(`${stack.base}/assets`), 401, "api_key_invalid");
    await expectError(await fetch(`${stack.base}/assets`, { headers: { "x-api-key": "rly_wrong" } }), 401, "api_key_invalid");
  });

  it("answers 404 for another tenant's resources, and lists only one's own", async () => {
    const mine = await await readJson(await postJson("/knowledge-stores", { name: "private" }));
    const other = await stack.newTenant();
    const asOther = (path: string, init: RequestInit = {}) => fetch(`${stack.base}${path}`, { ...init, headers: { "x-api-key": other.apiKey, "content-type": "application/json" } });
    await expectError(await asOther(`/knowledge-stores/${mine._id}`), 404, "resource_not_exist");
    await expectError(await asOther(`/knowledge-stores/${mine._id}/items`, { method: "POST", body: JSON.stringify({ asset_id: "0123456789abcdef01234567" }) }), 404, "resource_not_exist");
    await expectError(await asOther("/responses", { method: "POST", body: JSON.stringify({ knowledge_store_id: mine._id, input: [{ type: "message", role: "user", content: "hi" }] }) }), 404, "resource_not_exist");
    const list = await await readJson(await asOther("/knowledge-stores"));
    expect(list).toEqual({ data: [], page_info: { limit_per_page: 10, page: 1, total_page: 0, total_results: 0 } });
  });

  it("keeps /healthz and /readyz open and answers them", async () => {
    expect((await fetch(`${stack.apiUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${stack.apiUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", checks: { postgres: { ok: true }, redis: { ok: true } } });
  });
});
