import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseEmulatorConfig } from "../config.ts";
import type { RunningEmulator } from "../start-emulator.ts";
import { rawClient, startTestEmulator } from "../testing/emulator-fixtures.ts";

describe("request gate", () => {
  let emulator: RunningEmulator;
  /** A fresh API key per test keeps Retry-After windows apart. */
  let api: ReturnType<typeof rawClient>;
  let key: string;

  beforeAll(async () => {
    // No grace: these tests call again at once and mean it as a violation.
    emulator = await startTestEmulator({ retryAfterGraceMs: 0 });
  });
  afterAll(async () => {
    await emulator?.close();
  });
  beforeEach(() => {
    emulator.faults.clear();
    emulator.faults.resetStats();
    key = `key-${randomUUID()}`;
    api = rawClient(emulator.url, key);
  });

  const origin = () => emulator.url.replace(/\/v1\.3$/, "");
  const storeNames = async () => {
    emulator.faults.clear();
    const list = await api("GET", "/knowledge-stores?page_limit=50");
    return (list.json.data as Array<{ name: string }>).map((store) => store.name);
  };

  it("with no faults > passes every request to its route and counts it under its route pattern", async () => {
    const created = await api("POST", "/knowledge-stores", { name: "counted" });
    expect(created.status).toBe(201);
    expect((await api("GET", `/knowledge-stores/${created.json._id}`)).status).toBe(200);
    expect((await api("GET", "/knowledge-stores")).status).toBe(200);
    expect((await api("GET", "/no-such-route/123")).status).toBe(404);
    const stats = emulator.faults.stats();
    expect(stats.requests).toEqual({
      "GET (unknown route)": 1,
      "GET /knowledge-stores": 1,
      "GET /knowledge-stores/:knowledge_store_id": 1,
      "POST /knowledge-stores": 1,
    });
    expect(stats.faults).toEqual({ error_5xx: 0, too_many_requests: 0, timeout: 0, latency: 0, lost_answer: 0 });
    expect(stats.retry_after_violations).toBe(0);
  });

  it("does not count a call that arrives within the grace after a 429 (it was already in flight)", async () => {
    const graceful = await startTestEmulator({ retryAfterGraceMs: 10_000 });
    try {
      graceful.faults.set({ rules: [{ kind: "too_many_requests", retry_after_s: 30, count: 1 }] });
      const client = rawClient(graceful.url, key);
      expect((await client("GET", "/knowledge-stores")).status).toBe(429);
      await client("GET", "/knowledge-stores");
      expect(graceful.faults.stats()).toMatchObject({ retry_after_violations: 0, retry_after_grace_ms: 10_000 });
    } finally {
      await graceful.close();
    }
  });

  describe("with a 429 rate of 1", () => {
    it("answers 429 with Retry-After and counts a violation when called again inside the window", async () => {
      emulator.faults.set({ rules: [{ kind: "too_many_requests", retry_after_s: 5 }] });
      const first = await api("GET", "/knowledge-stores");
      expect(first.status).toBe(429);
      expect(first.headers.get("retry-after")).toBe("5");
      expect(first.json).toEqual({ code: "too_many_requests", message: expect.stringContaining("Retry after 5 seconds") });
      expect(emulator.faults.stats().retry_after_violations).toBe(0);

      expect((await api("GET", "/assets")).status).toBe(429);
      expect(emulator.faults.stats().retry_after_violations).toBe(1);

      // The window belongs to the key it was given to.
      await rawClient(emulator.url, `other-${key}`)("GET", "/assets");
      expect(emulator.faults.stats()).toMatchObject({ retry_after_violations: 1, faults: { too_many_requests: 3 } });
    });

    it("counts no violation from a caller that waits out Retry-After", async () => {
      emulator.faults.set({ rules: [{ kind: "too_many_requests", retry_after_s: 1, count: 1 }] });
      const limited = await api("GET", "/knowledge-stores");
      expect(limited.status).toBe(429);
      // Waiting as long as the answer asked is the behaviour under test, not a guess; the 20 ms
      // cover timer granularity (a Node timer may fire a millisecond early).
      const retryAt = Date.now() + Number(limited.headers.get("retry-after")) * 1000 + 20;
      await new Promise((resolve) => setTimeout(resolve, retryAt - Date.now()));
      expect((await api("GET", "/knowledge-stores")).status).toBe(200);
      expect(emulator.faults.stats().retry_after_violations).toBe(0);
    });
  });

  it("with a burst of 3 > the next three requests get 429, then the route answers again", async () => {
    emulator.faults.set({ rules: [{ kind: "too_many_requests", count: 3, retry_after_s: 0 }] });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await rawClient(emulator.url, `${key}-${i}`)("GET", "/knowledge-stores")).status);
    expect(statuses).toEqual([429, 429, 429, 200, 200]);
  });

  describe("with a 5xx rate of 1", () => {
    it("answers the configured status with the platform's error body, and never faults /health or /admin", async () => {
      emulator.faults.set({ rules: [{ kind: "error_5xx", statuses: [503] }] });
      const res = await api("GET", "/knowledge-stores");
      expect(res.status).toBe(503);
      expect(res.json).toEqual({ code: "service_unavailable", message: expect.any(String) });
      expect(res.headers.get("x-api-version")).toBe("v1.3");
      expect((await fetch(`${origin()}/health`)).status).toBe(200);
      expect((await fetch(`${origin()}/admin/stats`)).status).toBe(200);
      expect(emulator.faults.stats().faults.error_5xx).toBe(1);
    });

    it("aimed at POST /knowledge-stores > faults only that operation", async () => {
      emulator.faults.set({ rules: [{ kind: "error_5xx", statuses: [500], match: { method: "POST", path: "/knowledge-stores" } }] });
      expect((await api("GET", "/knowledge-stores")).status).toBe(200);
      const post = await api("POST", "/knowledge-stores", { name: "never-created" });
      expect(post.status).toBe(500);
      expect(post.json.code).toBe("internal_error");
      expect(await storeNames()).not.toContain("never-created");
    });
  });

  describe("with a timeout rate of 1", () => {
    it("accepts the request, never answers and does not run the route", async () => {
      emulator.faults.set({ rules: [{ kind: "timeout", match: { method: "POST" } }] });
      const call = fetch(`${emulator.url}/knowledge-stores`, {
        method: "POST",
        headers: { "x-api-key": key, "content-type": "application/json" },
        body: JSON.stringify({ name: "held" }),
        signal: AbortSignal.timeout(500),
      });
      await expect(call).rejects.toMatchObject({ name: "TimeoutError" });
      expect(emulator.faults.stats().faults.timeout).toBe(1);
      expect(await storeNames()).not.toContain("held");
    });

    it("with hold_ms > resets the connection after that long", async () => {
      emulator.faults.set({ rules: [{ kind: "timeout", hold_ms: 200 }] });
      const started = Date.now();
      await expect(api("GET", "/knowledge-stores")).rejects.toThrow(/fetch failed/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    });
  });

  it("with latency [150, 250] > answers normally, at least 150 ms later", async () => {
    emulator.faults.set({ rules: [{ kind: "latency", ms: [150, 250] }] });
    const started = Date.now();
    expect((await api("GET", "/knowledge-stores")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    expect(emulator.faults.stats().faults.latency).toBe(1);
  });

  describe("with a lost answer on POST /knowledge-stores", () => {
    it("answers 502, yet the store was created: the list shows it", async () => {
      emulator.faults.set({ rules: [{ kind: "lost_answer", match: { method: "POST", path: "/knowledge-stores" } }] });
      const name = `lost-${randomUUID()}`;
      const created = await api("POST", "/knowledge-stores", { name });
      expect(created.status).toBe(502);
      expect(created.json).toEqual({ code: "bad_gateway", message: expect.any(String) });
      expect(created.text).not.toContain(name);
      expect(emulator.faults.stats().faults.lost_answer).toBe(1);
      expect(await storeNames()).toContain(name);
    });

    it("as a connection reset > the call fails in transport, yet the store was created", async () => {
      emulator.faults.set({ rules: [{ kind: "lost_answer", as: "reset", match: { method: "POST", path: "/knowledge-stores" } }] });
      const name = `reset-${randomUUID()}`;
      await expect(api("POST", "/knowledge-stores", { name })).rejects.toThrow(/fetch failed/);
      expect(await storeNames()).toContain(name);
    });

    it("when the route rejects the input > passes its 400 through and keeps the fault for the next create", async () => {
      emulator.faults.set({ rules: [{ kind: "lost_answer", count: 1, match: { method: "POST", path: "/knowledge-stores" } }] });
      expect((await api("POST", "/knowledge-stores", {})).status).toBe(400);
      expect((await api("POST", "/knowledge-stores", { name: `second-${randomUUID()}` })).status).toBe(502);
      expect((await api("POST", "/knowledge-stores", { name: `third-${randomUUID()}` })).status).toBe(201);
      expect(emulator.faults.stats().faults.lost_answer).toBe(1);
    });
  });

  it("with a seed > the same requests meet the same faults", async () => {
    const run = async () => {
      emulator.faults.set({ seed: 99, rules: [{ kind: "error_5xx", rate: 0.5 }] });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await api("GET", "/knowledge-stores")).status);
      return statuses;
    };
    const first = await run();
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(await run()).toEqual(first);
  });

  it("configured from the EMULATOR_FAULT_* variables > injects from the first request", async () => {
    const { faults } = parseEmulatorConfig({ EMULATOR_FAULT_429_RATE: "1", EMULATOR_FAULT_RETRY_AFTER_S: "2" });
    const faulty = await startTestEmulator({ faults });
    try {
      const res = await rawClient(faulty.url)("GET", "/assets");
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("2");
    } finally {
      await faulty.close();
    }
  });
});
