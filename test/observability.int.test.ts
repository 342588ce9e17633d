import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJson, startTestStack, type TestStack } from "./support/stack.ts";

let stack: TestStack;
const ADMIN = "an-admin-key-for-the-tests";
beforeAll(async () => {
  stack = await startTestStack({ env: { ADMIN_API_KEY: ADMIN } });
});
afterAll(async () => {
  await stack?.close();
});

describe("what operators see", () => {
  it("GET /metrics: request latency by route and status, platform calls by outcome, jobs and queues by state", async () => {
    const { apiKey } = await stack.newTenant();
    const store = await readJson(fetch(`${stack.base}/knowledge-stores`, { method: "POST", headers: { "x-api-key": apiKey, "content-type": "application/json" }, body: JSON.stringify({ name: "metrics" }) }));
    await fetch(`${stack.base}/knowledge-stores/${store._id}`, { headers: { "x-api-key": apiKey } });
    // Wait until the worker has made its platform call.
    let text = "";
    for (let i = 0; i < 100 && !text.includes('operation="create knowledge store",outcome="ok"'); i++) {
      text = await (await fetch(`${stack.apiUrl}/metrics`)).text();
      if (!text.includes('outcome="ok"')) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(text).toMatch(/reelay_http_request_duration_seconds_bucket\{[^}]*route="\/v1\.3\/knowledge-stores\/:knowledge_store_id"[^}]*status="200"/);
    expect(text).toContain('reelay_platform_calls_total{operation="create knowledge store",outcome="ok"');
    expect(text).toMatch(/reelay_queue_jobs\{[^}]*queue="reelay",state="delayed"/);
    expect(text).toContain("reelay_queue_oldest_waiting_seconds");
    expect(text).toContain("reelay_webhook_delivery_lag_seconds");
  });

  it("the queue dashboard answers only with the admin key", async () => {
    expect((await fetch(`${stack.apiUrl}/admin/queues`)).status).toBe(401);
    const authorized = await fetch(`${stack.apiUrl}/admin/queues`, { headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN}`).toString("base64")}` } });
    expect(authorized.status).toBe(200);
    expect(await authorized.text()).toMatch(/<html/i);
  });
});
