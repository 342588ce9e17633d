import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeApiKey } from "@reelay/api";
import { pollUntil, readJson, startTestStack, type TestStack } from "./support/stack.ts";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ startWorker: false });
});
afterAll(async () => {
  await stack?.close();
});

/** A GET the way curl or an SDK sends it (fetch adds no-cache to a conditional request). */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; etag: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, etag: res.headers.etag, body }));
    })
      .on("error", reject)
      .end();
  });
}

describe("API keys and status reads", () => {
  it("a revoked key stops working at once, though keys are cached in the API process", async () => {
    const { apiKey } = await stack.newTenant();
    const headers = { "x-api-key": apiKey };
    expect((await fetch(`${stack.base}/jobs`, { headers })).status).toBe(200);
    expect((await fetch(`${stack.base}/jobs`, { headers })).status).toBe(200); // served from the cache now
    const key = await stack.prisma.apiKey.findFirstOrThrow({ where: { prefix: apiKey.slice(0, 10) } });
    expect(await revokeApiKey(stack.prisma, { keyId: key.id })).toBe(1);
    // The notification travels through Postgres: no TTL to wait out.
    const refused = await pollUntil(() => fetch(`${stack.base}/jobs`, { headers }), (res) => res.status === 401, { timeoutMs: 2_000, intervalMs: 20 });
    expect(await readJson(refused.last)).toMatchObject({ code: "api_key_invalid" });
  });

  it("status reads answer with an ETag, and 304 without a body to a poller that has the current one", async () => {
    const { apiKey } = await stack.newTenant();
    const store = await readJson(fetch(`${stack.base}/knowledge-stores`, { method: "POST", headers: { "x-api-key": apiKey, "content-type": "application/json" }, body: JSON.stringify({ name: "etag" }) }));
    const url = `${stack.base}/jobs/${store.job_id}`;
    const first = await get(url, { "x-api-key": apiKey });
    expect(first.status).toBe(200);
    expect(first.etag).toMatch(/^W\/"/);
    const again = await get(url, { "x-api-key": apiKey, "if-none-match": first.etag! });
    expect(again).toMatchObject({ status: 304, body: "" });
  });
});
