import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../start-emulator.ts";
import { rawClient, startTestEmulator } from "../testing/emulator-fixtures.ts";

/** The emulator's origin: /admin lives beside /v1.3, not under it. */
const originOf = (emulator: RunningEmulator) => emulator.url.replace(/\/v1\.3$/, "");

describe("/admin", () => {
  let emulator: RunningEmulator;
  let admin: ReturnType<typeof rawClient>;

  beforeAll(async () => {
    emulator = await startTestEmulator({ retryAfterGraceMs: 0 });
    admin = rawClient(`${originOf(emulator)}/admin`, null);
  });
  afterAll(async () => {
    await emulator?.close();
  });

  describe("PUT /admin/faults", () => {
    it("replaces the plan with defaults filled in; GET returns it and the gate applies it", async () => {
      const put = await admin("PUT", "/faults", { seed: 5, rules: [{ kind: "error_5xx", statuses: [502], match: { method: "GET", path: "/assets" } }] });
      expect(put.status).toBe(200);
      const expected = { seed: 5, rules: [{ kind: "error_5xx", rate: 1, statuses: [502], match: { method: "GET", path: "/assets" } }] };
      expect(put.json).toEqual(expected);
      expect((await admin("GET", "/faults")).json).toEqual(expected);
      expect(emulator.faults.get()).toEqual(expected);
      expect((await rawClient(emulator.url)("GET", "/assets")).status).toBe(502);
    });

    it("when the plan is invalid > answers 400 naming the field, and keeps the plan in force", async () => {
      await admin("PUT", "/faults", { rules: [{ kind: "latency", ms: 1 }] });
      const bad = await admin("PUT", "/faults", { rules: [{ kind: "too_many_requests", rate: 2 }] });
      expect(bad.status).toBe(400);
      expect(bad.json).toEqual({ code: "parameter_invalid", message: expect.stringContaining("rules.0.rate") });
      const unknownKind = await admin("PUT", "/faults", { rules: [{ kind: "meteor" }] });
      expect(unknownKind.status).toBe(400);
      const noBody = await admin("PUT", "/faults");
      expect(noBody.status).toBe(400);
      expect((await admin("GET", "/faults")).json.rules).toEqual([{ kind: "latency", rate: 1, ms: 1 }]);
    });
  });

  it("DELETE /admin/faults > clears the plan", async () => {
    await admin("PUT", "/faults", { rules: [{ kind: "error_5xx" }] });
    expect((await admin("DELETE", "/faults")).status).toBe(204);
    expect((await admin("GET", "/faults")).json.rules).toEqual([]);
    expect((await rawClient(emulator.url)("GET", "/assets")).status).toBe(200);
  });

  it("GET /admin/stats > reports requests, faults, violations and the concurrency limits; POST /admin/stats/reset zeroes them", async () => {
    await admin("POST", "/stats/reset");
    await admin("PUT", "/faults", { rules: [{ kind: "too_many_requests", count: 1, match: { path: "/knowledge-stores" } }] });
    const api = rawClient(emulator.url, "stats-key");
    await api("GET", "/knowledge-stores");
    await api("GET", "/knowledge-stores");
    const stats = await admin("GET", "/stats");
    expect(stats.status).toBe(200);
    expect(stats.json).toMatchObject({
      since: expect.any(String),
      requests: { "GET /knowledge-stores": 2 },
      faults: { too_many_requests: 1, error_5xx: 0 },
      retry_after_violations: 1,
      concurrency: { downloads: { limit: 4, running: 0, waiting: 0 }, media: { limit: 2, running: 0, waiting: 0 } },
    });
    expect((await admin("POST", "/stats/reset")).status).toBe(204);
    expect((await admin("GET", "/stats")).json).toMatchObject({ requests: {}, faults: { too_many_requests: 0 }, retry_after_violations: 0 });
  });

  describe("access", () => {
    it("with EMULATOR_ADMIN_KEY set > answers 401 without the x-admin-key header or with a wrong one", async () => {
      const guarded = await startTestEmulator({ adminKey: "admin-secret" });
      try {
        const url = `${originOf(guarded)}/admin/stats`;
        const missing = await fetch(url);
        expect(missing.status).toBe(401);
        expect(await missing.json()).toEqual({ code: "admin_key_invalid", message: expect.any(String) });
        expect((await fetch(url, { headers: { "x-admin-key": "guess" } })).status).toBe(401);
        expect((await fetch(url, { headers: { "x-admin-key": "admin-secret" } })).status).toBe(200);
      } finally {
        await guarded.close();
      }
    });

    it("bound beyond loopback without EMULATOR_ADMIN_KEY > is off (403), while the API still serves", async () => {
      const exposed = await startTestEmulator({ host: "0.0.0.0", apiKey: "api-secret" });
      try {
        const res = await fetch(`${originOf(exposed)}/admin/faults`, { method: "PUT", headers: { "content-type": "application/json" }, body: "{}" });
        expect(res.status).toBe(403);
        expect(await res.json()).toMatchObject({ code: "admin_disabled" });
        expect((await rawClient(exposed.url, "api-secret")("GET", "/assets")).status).toBe(200);
      } finally {
        await exposed.close();
      }
    });
  });
});
