import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJson, startTestStack, type TestStack } from "./support/stack.ts";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ startWorker: false, env: { TENANT_RATE_LIMIT_PER_S: "2", TENANT_RATE_LIMIT_BURST: "5" } });
});
afterAll(async () => {
  await stack?.close();
});

describe("the per-tenant request limit", () => {
  it("answers the platform's 429 with Retry-After past a tenant's burst, and leaves other tenants alone", async () => {
    const noisy = (await stack.newTenant()).apiKey;
    const calm = (await stack.newTenant()).apiKey;
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await fetch(`${stack.base}/jobs`, { headers: { "x-api-key": noisy } })).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const limited = await fetch(`${stack.base}/jobs`, { headers: { "x-api-key": noisy } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await readJson(limited)).toMatchObject({ code: "too_many_requests", status: 429 });
    expect((await fetch(`${stack.base}/jobs`, { headers: { "x-api-key": calm } })).status).toBe(200);
  });
});
