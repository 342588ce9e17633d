import { routeTable } from "@reelay/contract";
import type { RouteDefinition } from "@reelay/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeCoverage } from "../../../test/support/route-coverage.ts";
import { createEmulatorApp } from "./app.ts";
import type { EmulatorApp } from "./app.ts";
import { parseEmulatorConfig } from "./config.ts";
import type { RunningEmulator } from "./start-emulator.ts";
import { rawClient, startTestEmulator } from "./testing/emulator-fixtures.ts";

const platformRoutes = routeTable.filter((route) => route.origin === "platform");
const reelayRoutes = routeTable.filter((route) => route.origin === "reelay");
const named = (routes: readonly RouteDefinition[]) => routes.map((route) => `${route.id}: ${route.method.toUpperCase()} ${route.path}`);

describe("the emulator and the route table", () => {
  let emulator: EmulatorApp;

  beforeAll(() => {
    emulator = createEmulatorApp(parseEmulatorConfig({}));
  });
  afterAll(() => emulator?.close());

  it("serves every operation of the platform's", () => {
    expect(platformRoutes.length).toBeGreaterThan(0);
    expect(named(routeCoverage(emulator.app, platformRoutes).unserved)).toEqual([]);
  });

  it("serves no /v1.3 operation that the table does not declare as the platform's", () => {
    expect(routeCoverage(emulator.app, platformRoutes).undeclared).toEqual([]);
  });

  it("serves none of Reelay's own operations: the platform has none of them", () => {
    expect(named(routeCoverage(emulator.app, reelayRoutes).unserved)).toEqual(named(reelayRoutes));
  });

  describe("over HTTP", () => {
    let running: RunningEmulator;
    let api: ReturnType<typeof rawClient>;

    beforeAll(async () => {
      running = await startTestEmulator();
      api = rawClient(running.url);
    });
    afterAll(() => running?.close());

    /** The path with made-up ids: the operation must be routed, whether or not the resource exists. */
    const sample = (route: RouteDefinition) => route.path.replace(/\{([^}]+)\}/g, "missing-$1");

    it("routes every platform operation: no answer is a 404 for an unknown endpoint, nor a 405", async () => {
      const unrouted: string[] = [];
      for (const route of platformRoutes) {
        // An empty body fails validation before anything is created.
        const res = await api(route.method.toUpperCase(), sample(route), route.method === "get" || route.method === "delete" ? undefined : {});
        if (res.status === 405 || (res.status === 404 && /There is no .* endpoint/.test(res.json?.message ?? ""))) unrouted.push(`${route.id}: ${res.status} ${res.text}`);
      }
      expect(unrouted).toEqual([]);
    });

    it("answers 404 for Reelay's own operations, not 405", async () => {
      for (const route of reelayRoutes) {
        const res = await api(route.method.toUpperCase(), sample(route), route.method === "get" || route.method === "delete" ? undefined : {});
        expect(res.status, route.id).toBe(404);
        expect(res.json.code).toBe("resource_not_exist");
      }
    });
  });
});
