import { readdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJson, startTestStack, type TestStack } from "./support/stack.ts";

/**
 * Input that passed validation but could not be stored — NUL characters, unpaired surrogates,
 * absurd nesting — and multipart bodies the parser refused, used to answer 500. Each case here
 * answered 500 before the fix; now each is a 4xx with the platform's code and message, naming
 * the field where there is one, and writes nothing.
 */
let stack: TestStack;
let key: string;
let tenantId: string;

beforeAll(async () => {
  stack = await startTestStack({ startWorker: false });
  ({ apiKey: key, tenantId } = await stack.newTenant());
});
afterAll(async () => stack?.close());

const request = (method: string, path: string, init: { body?: string | Buffer | FormData; contentType?: string } = {}) =>
  fetch(`${stack.base}${path}`, {
    method,
    headers: { "x-api-key": key, ...(init.contentType ? { "content-type": init.contentType } : {}) },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
const postJson = (path: string, body: unknown, method = "POST") => request(method, path, { body: typeof body === "string" ? body : JSON.stringify(body), contentType: "application/json" });

async function expectError(res: Response, status: number, code: string, field?: string) {
  const body = await readJson(res);
  expect({ status: res.status, body }).toMatchObject({ status, body: { code, message: expect.any(String), status, type: expect.stringMatching(/^urn:reelay:error:/) } });
  if (field) expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
  return body;
}

/** A multipart body written by hand: FormData cannot produce the malformed ones. */
function multipart(parts: Array<{ headers: string[]; value: string }>, boundary = "b0undary"): { body: Buffer; contentType: string } {
  const text = parts.map((part) => `--${boundary}\r\n${part.headers.join("\r\n")}\r\n\r\n${part.value}\r\n`).join("") + `--${boundary}--\r\n`;
  return { body: Buffer.from(text, "utf8"), contentType: `multipart/form-data; boundary=${boundary}` };
}
const field = (name: string, value: string) => ({ headers: [`Content-Disposition: form-data; name="${name}"`], value });

describe("bad input that once reached Postgres answers 4xx, names the field and writes nothing", () => {
  it("GET /v1.3/assets/%00 > answers 400 parameter_invalid naming asset_id", async () => {
    await expectError(await request("GET", "/assets/%00"), 400, "parameter_invalid", "asset_id");
  });

  it("every route with a path parameter > when it holds a NUL (%00) > answers 400 naming the parameter", async () => {
    const cases: Array<[string, string, string]> = [
      ["GET", "/knowledge-stores/%00", "knowledge_store_id"],
      ["GET", "/knowledge-stores/%00/items", "knowledge_store_id"],
      ["POST", "/knowledge-stores/%00/items", "knowledge_store_id"],
      ["GET", "/knowledge-stores/ks_x/items/a%00", "item_id"],
      ["GET", "/responses/resp_%00", "response_id"],
      ["GET", "/jobs/%00", "job_id"],
      ["GET", "/jobs/%00/events", "job_id"],
      ["POST", "/jobs/%00/cancel", "job_id"],
      ["GET", "/webhooks/%00", "webhook_id"],
      ["PATCH", "/webhooks/%00", "webhook_id"],
      ["DELETE", "/webhooks/%00", "webhook_id"],
      ["POST", "/webhooks/%00/rotate-secret", "webhook_id"],
      ["POST", "/webhooks/%00/test", "webhook_id"],
      ["GET", "/webhooks/%00/deliveries", "webhook_id"],
      ["POST", "/webhooks/wh_x/deliveries/%00/retry", "delivery_id"],
      ["POST", "/webhooks/%00/recover", "webhook_id"],
    ];
    for (const [method, path, name] of cases) {
      const res = method === "GET" || method === "DELETE" ? await request(method, path) : await postJson(path, { asset_id: "0123456789abcdef01234567", description: "x", since: "2024-01-01T00:00:00Z" }, method);
      await expectError(res, 400, "parameter_invalid", name);
    }
  });

  it("every list > when a query value holds a NUL > answers 400 naming the parameter", async () => {
    await expectError(await request("GET", "/assets?filename=%00"), 400, "parameter_invalid", "filename");
    await expectError(await request("GET", "/assets?asset_ids=a&asset_ids=%00"), 400, "parameter_invalid", "asset_ids.1");
    await expectError(await request("GET", "/jobs?resource_id=a%00"), 400, "parameter_invalid", "resource_id");
    await expectError(await request("GET", "/jobs?type=%00"), 400, "parameter_invalid", "type.0");
  });

  it("POST /v1.3/knowledge-stores > when the name, description, a metadata key or value holds a NUL > answers 400 naming the field", async () => {
    await expectError(await postJson("/knowledge-stores", { name: "a\u0000b" }), 400, "parameter_invalid", "name");
    await expectError(await postJson("/knowledge-stores", { name: "s", description: "\u0000" }), 400, "parameter_invalid", "description");
    // A NUL in a key is reported at the object holding it: the key itself is not echoed back.
    await expectError(await postJson("/knowledge-stores", { name: "s", metadata: { "k\u0000": "v" } }), 400, "parameter_invalid", "metadata");
    await expectError(await postJson("/knowledge-stores", { name: "s", metadata: { k: "v\u0000" } }), 400, "parameter_invalid", "metadata.k");
  });

  it("POST /v1.3/knowledge-stores > when a string holds an unpaired surrogate (\\ud800) > answers 400 naming the field", async () => {
    // Valid JSON, and a valid JavaScript string, that Prisma cannot serialise into a query.
    await expectError(await postJson("/knowledge-stores", '{"name":"\\ud800x"}'), 400, "parameter_invalid", "name");
    await expectError(await postJson("/knowledge-stores", '{"name":"s","description":"\\udfff"}'), 400, "parameter_invalid", "description");
  });

  it("POST /v1.3/knowledge-stores > when the enrichment JSON schema is nested 10 000 levels deep > answers 400, not a stack overflow", async () => {
    const deep = `${'{"type":"object","description":"d","properties":{"a":'.repeat(10_000)}{}${"}}".repeat(10_000)}`;
    const body = `{"name":"deep","ingestion_config":{"enrichment_config":{"type":"json_schema","json_schema":${deep}}}}`;
    const error = await expectError(await postJson("/knowledge-stores", body), 400, "parameter_invalid");
    expect(error.errors[0].field).toMatch(/^ingestion_config\.enrichment_config\.json_schema\.properties\.a\./);
  });

  it("POST /v1.3/responses > when the input or session id holds a NUL, or text is nested 20 000 levels deep > answers 400 naming the field", async () => {
    // A real store, so that nothing but the text itself stands between the request and the insert.
    const store = await readJson(postJson("/knowledge-stores", { name: "asked" }));
    const ask = (extra: Record<string, unknown>, content = "hi") => ({ knowledge_store_id: store._id, input: [{ type: "message", role: "user", content }], background: true, ...extra });
    await expectError(await postJson("/responses", ask({}, "a\u0000b")), 400, "parameter_invalid", "input.0.content");
    await expectError(await postJson("/responses", ask({ session_id: "\u0000" })), 400, "parameter_invalid", "session_id");
    await expectError(await postJson("/responses", ask({ metadata: { k: "\ud800" } })), 400, "parameter_invalid", "metadata.k");
    const deepText = `{"knowledge_store_id":"${store._id}","background":true,"input":[{"type":"message","role":"user","content":"hi"}],"text":{"a":${"[".repeat(20_000)}${"]".repeat(20_000)}}}`;
    const error = await expectError(await postJson("/responses", deepText), 400, "parameter_invalid");
    expect(error.errors[0].field).toMatch(/^text\.a\.0\.0/);
  });

  it("POST and PATCH /v1.3/webhooks > when the url or description holds a NUL > answers 400 naming the field", async () => {
    await expectError(await postJson("/webhooks", { url: "http://127.0.0.1:9/\u0000" }), 400, "parameter_invalid", "url");
    await expectError(await postJson("/webhooks", { url: "http://127.0.0.1:9/", description: "a\u0000" }), 400, "parameter_invalid", "description");
    const hook = await readJson(postJson("/webhooks", { url: "http://127.0.0.1:9/hook" }));
    await expectError(await postJson(`/webhooks/${hook._id}`, { description: "\u0000" }, "PATCH"), 400, "parameter_invalid", "description");
    expect(await stack.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: hook._id } })).toMatchObject({ description: null });
    await request("DELETE", `/webhooks/${hook._id}`);
  });

  it("POST /v1.3/assets > when the content type is multipart/mixed > answers 415", async () => {
    const { body } = multipart([field("method", "url"), field("url", "http://127.0.0.1:1/v.mp4")]);
    await expectError(await request("POST", "/assets", { body, contentType: "multipart/mixed; boundary=b0undary" }), 415, "parameter_invalid");
  });

  it("POST /v1.3/assets > when a part has no name or a malformed header > answers 400", async () => {
    const nameless = multipart([{ headers: ["Content-Disposition: form-data"], value: "url" }]);
    await expectError(await request("POST", "/assets", nameless), 400, "parameter_invalid");
    const garbled = multipart([{ headers: ["Content-Disposition: form-data; name=\"method\"", "no colon here"], value: "url" }]);
    await expectError(await request("POST", "/assets", garbled), 400, "parameter_invalid");
  });

  it("POST /v1.3/assets > when the url, filename or a user_metadata key holds a NUL > answers 400 naming the field", async () => {
    const form = (extra: Array<ReturnType<typeof field>>) => multipart([field("method", "url"), ...extra]);
    await expectError(await request("POST", "/assets", form([field("url", "http://127.0.0.1:1/\u0000.mp4")])), 400, "parameter_invalid", "url");
    await expectError(await request("POST", "/assets", form([field("url", "http://127.0.0.1:1/v.mp4"), field("filename", "a\u0000b")])), 400, "parameter_invalid", "filename");
    // The NUL arrives escaped inside the JSON of a form field, and exists only once decoded.
    await expectError(await request("POST", "/assets", form([field("url", "http://127.0.0.1:1/v.mp4"), field("user_metadata", '{"a\\u0000":"b"}')])), 400, "parameter_invalid", "user_metadata");
    await expectError(await request("POST", "/assets", form([field("url", "http://127.0.0.1:1/v.mp4"), field("user_metadata", '{"a":"\\u0000"}')])), 400, "parameter_invalid", "user_metadata.a");
  });

  it("POST /v1.3/assets > when the uploaded file's own name holds a NUL > answers 400 naming file.filename, and keeps no blob", async () => {
    const upload = multipart([
      field("method", "direct"),
      { headers: ["Content-Disposition: form-data; name=\"file\"; filename*=utf-8''a%00b.mp4", "Content-Type: video/mp4"], value: "not a video" },
    ]);
    await expectError(await request("POST", "/assets", upload), 400, "parameter_invalid", "file.filename");
    expect(await readdir(stack.blobDir)).toEqual([]);
  });

  it("leaves nothing half-written: only the store created on purpose, and no asset, item, response or webhook", async () => {
    const stores = await stack.prisma.knowledgeStore.findMany({ where: { tenantId }, select: { id: true, name: true } });
    expect(stores.map((s) => s.name)).toEqual(["asked"]);
    expect(await stack.prisma.asset.count({ where: { tenantId } })).toBe(0);
    expect(await stack.prisma.knowledgeStoreItem.count({ where: { tenantId } })).toBe(0);
    expect(await stack.prisma.response.count({ where: { tenantId } })).toBe(0);
    expect(await stack.prisma.webhookEndpoint.count({ where: { tenantId } })).toBe(0);
    expect(await stack.prisma.job.findMany({ where: { tenantId }, select: { resourceId: true } })).toEqual([{ resourceId: stores[0]!.id }]);
  });
});

describe("GET /v1.3/jobs/{id}/events (found by the fuzz suite)", () => {
  it("when Last-Event-ID or ?after is past any sequence (2147483648) > answers that the stream has ended (204), not a 500", async () => {
    const { apiKey } = await stack.newTenant();
    const as = (path: string, init: RequestInit = {}) => fetch(`${stack.base}${path}`, { ...init, headers: { "x-api-key": apiKey, "content-type": "application/json", ...init.headers } });
    const store = await readJson(as("/knowledge-stores", { method: "POST", body: JSON.stringify({ name: "resumed" }) }));
    expect((await as(`/jobs/${store.job_id}/cancel`, { method: "POST" })).status).toBe(200);
    expect((await as(`/jobs/${store.job_id}/events`, { headers: { "last-event-id": "2147483648" } })).status).toBe(204);
    expect((await as(`/jobs/${store.job_id}/events?after=99999999999`)).status).toBe(204);
  });
});

describe("GET /readyz", () => {
  it("when everything is reachable > answers 200 with ok flags only", async () => {
    const res = await fetch(`${stack.apiUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(await readJson(res)).toEqual({ status: "ready", checks: { postgres: { ok: true }, redis: { ok: true } } });
  });
});
