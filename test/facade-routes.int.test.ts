import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "@reelay/api";
import { routeTable } from "@reelay/contract";
import { createIdleAppDeps } from "./support/app-deps.ts";
import { routeCoverage } from "./support/route-coverage.ts";
import { readJson, startTestStack, type TestStack } from "./support/stack.ts";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ startWorker: false });
});
afterAll(async () => {
  await stack?.close();
});

describe("the facade's routes", () => {
  it("serve every operation of the contract's route table, platform's and Reelay's, and nothing undeclared", async () => {
    const { deps, close } = await createIdleAppDeps();
    try {
      const coverage = routeCoverage(createApp(deps), routeTable);
      expect(coverage.unserved.map((route) => `${route.method.toUpperCase()} ${route.path}`)).toEqual([]);
      expect(coverage.undeclared).toEqual([]);
    } finally {
      await close();
    }
  });

  it("answer 405 with Allow for a known path asked with another method, and 404 for an unknown path", async () => {
    const { apiKey } = await stack.newTenant();
    const call = (method: string, path: string) => fetch(`${stack.base}${path}`, { method, headers: { "x-api-key": apiKey } });
    const wrongMethod = await call("PUT", "/assets");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, HEAD, POST");
    expect(await readJson(wrongMethod)).toMatchObject({ code: "method_not_allowed", status: 405 });
    expect((await call("PUT", "/knowledge-stores/ks_x/items/ksi_y")).headers.get("allow")).toBe("DELETE, GET, HEAD");
    expect((await call("GET", "/no-such-thing")).status).toBe(404);
  });

  it("publish the contract without a key: /openapi.json lists every operation", async () => {
    const document = await readJson(fetch(`${stack.apiUrl}/openapi.json`));
    for (const route of routeTable) expect(document.paths[route.path]?.[route.method], `${route.method} ${route.path}`).toBeDefined();
    expect((await fetch(`${stack.apiUrl}/docs`)).status).toBe(200);
  });
});
