import { describe, expect, it } from "vitest";
import { FaultConfig } from "./fault-config.ts";
import type { FaultConfigInput } from "./fault-config.ts";
import { FaultInjector } from "./fault-injector.ts";
import { matchesPattern } from "./operations.ts";

const injector = (config: FaultConfigInput) => new FaultInjector(FaultConfig.parse(config));
const outcomes = (faults: FaultInjector, n: number, method = "GET", path = "/assets") =>
  Array.from({ length: n }, () => faults.decide(method, path).outcome?.kind ?? "none");

describe("FaultInjector", () => {
  it("with the same seed > decides the same faults for the same requests, and set() starts over", () => {
    const config: FaultConfigInput = { seed: 42, rules: [{ kind: "error_5xx", rate: 0.5 }] };
    const first = injector(config);
    const sequence = outcomes(first, 40);
    expect(sequence).toContain("error_5xx");
    expect(sequence).toContain("none");
    expect(outcomes(injector(config), 40)).toEqual(sequence);
    first.set(FaultConfig.parse(config));
    expect(outcomes(first, 40)).toEqual(sequence);
  });

  it("without a seed > draws one and reports it, so the run can be replayed", () => {
    const faults = injector({ rules: [{ kind: "too_many_requests", rate: 0.3 }] });
    const { seed } = faults.current();
    expect(Number.isInteger(seed)).toBe(true);
    const sequence = outcomes(faults, 30);
    expect(outcomes(injector({ seed, rules: [{ kind: "too_many_requests", rate: 0.3 }] }), 30)).toEqual(sequence);
  });

  it("with a count > fires that many times, then never (a burst)", () => {
    const faults = injector({ rules: [{ kind: "too_many_requests", count: 3, retry_after_s: 2 }] });
    expect(outcomes(faults, 5)).toEqual(["too_many_requests", "too_many_requests", "too_many_requests", "none", "none"]);
  });

  it("targets by method and path pattern", () => {
    const faults = injector({ rules: [{ kind: "error_5xx", statuses: [503], match: { method: "GET", path: "/knowledge-stores/:id/items/*" } }] });
    expect(faults.decide("GET", "/knowledge-stores/ks_1/items").outcome).toEqual({ kind: "error_5xx", status: 503 });
    expect(faults.decide("GET", "/knowledge-stores/ks_1/items/ksi_2").outcome?.kind).toBe("error_5xx");
    expect(faults.decide("POST", "/knowledge-stores/ks_1/items").outcome).toBeUndefined();
    expect(faults.decide("GET", "/knowledge-stores/ks_1").outcome).toBeUndefined();
  });

  it("adds every latency that fires and lets the first other rule decide", () => {
    const faults = injector({
      rules: [
        { kind: "latency", ms: 100 },
        { kind: "error_5xx", statuses: [500], match: { method: "POST" } },
        { kind: "latency", ms: [10, 20] },
        { kind: "too_many_requests" },
      ],
    });
    const post = faults.decide("POST", "/assets");
    expect(post.outcome).toEqual({ kind: "error_5xx", status: 500 });
    expect(post.delayMs).toBeGreaterThanOrEqual(110);
    expect(post.delayMs).toBeLessThanOrEqual(120);
    expect(faults.decide("GET", "/assets").outcome).toEqual({ kind: "too_many_requests", retryAfterS: 1 });
  });

  it("a refunded lost answer fires again", () => {
    const faults = injector({ rules: [{ kind: "lost_answer", count: 1 }] });
    const armed = faults.decide("POST", "/assets").outcome;
    expect(armed).toEqual({ kind: "lost_answer", as: "bad_gateway", rule: 0 });
    expect(faults.decide("POST", "/assets").outcome).toBeUndefined();
    faults.refund(0);
    expect(faults.decide("POST", "/assets").outcome?.kind).toBe("lost_answer");
  });
});

describe("FaultConfig", () => {
  it("rejects unknown fields, rates outside 0..1, inverted ranges and misplaced wildcards", () => {
    expect(FaultConfig.safeParse({ rules: [{ kind: "error_5xx", rate: 1.5 }] }).success).toBe(false);
    expect(FaultConfig.safeParse({ rules: [{ kind: "too_many_requests", retry_after: 3 }] }).success).toBe(false);
    expect(FaultConfig.safeParse({ rules: [{ kind: "latency", ms: [300, 100] }] }).success).toBe(false);
    expect(FaultConfig.safeParse({ rules: [{ kind: "error_5xx", statuses: [418] }] }).success).toBe(false);
    expect(FaultConfig.safeParse({ rules: [{ kind: "error_5xx", match: { path: "/a*/b" } }] }).success).toBe(false);
    expect(FaultConfig.safeParse({ rules: [{ kind: "explode" }] }).success).toBe(false);
  });
});

describe("matchesPattern", () => {
  it("matches :params to one segment and a final * to the rest, ignoring case and trailing slashes", () => {
    expect(matchesPattern("/assets/:asset_id", "/assets/abc")).toBe(true);
    expect(matchesPattern("/assets/:asset_id", "/assets")).toBe(false);
    expect(matchesPattern("/assets/:asset_id", "/assets/abc/more")).toBe(false);
    expect(matchesPattern("/assets", "/Assets/")).toBe(true);
    expect(matchesPattern("/knowledge-stores/*", "/knowledge-stores")).toBe(true);
    expect(matchesPattern("/knowledge-stores/*", "/knowledge-stores/ks/items/ksi")).toBe(true);
    expect(matchesPattern("/*", "/anything/at/all")).toBe(true);
  });
});
