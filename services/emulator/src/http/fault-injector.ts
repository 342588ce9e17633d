import { randomInt } from "node:crypto";
import type { FAULT_STATUSES, FaultConfig, FaultRule } from "./fault-config.ts";
import { matchesPattern } from "./operations.ts";
import { seededRandom } from "./seeded-random.ts";

/** What happens to a request instead of (or, for `lost_answer`, after) its route. */
export type FaultOutcome =
  | { kind: "error_5xx"; status: keyof typeof FAULT_STATUSES }
  | { kind: "too_many_requests"; retryAfterS: number }
  | { kind: "timeout"; holdMs: number | undefined }
  | { kind: "lost_answer"; as: "bad_gateway" | "reset"; rule: number };

export interface FaultDecision {
  /** Added before anything else happens; 0 for none. */
  delayMs: number;
  outcome: FaultOutcome | undefined;
}

/** The fault plan in force, with the seed actually used (drawn at random when none was given). */
export type ActiveFaultConfig = FaultConfig & { seed: number };

/**
 * Decides, request by request, which faults to inject. Setting a config restarts the PRNG from its
 * seed and refills every rule's `count`, so a test that sets the same config twice sees the same
 * faults for the same requests.
 */
export class FaultInjector {
  private config!: ActiveFaultConfig;
  private random!: () => number;
  /** Fires left per rule; `undefined` is unlimited. */
  private remaining!: Array<number | undefined>;

  constructor(config: FaultConfig) {
    this.set(config);
  }

  set(config: FaultConfig): void {
    const seed = config.seed ?? randomInt(0, 0x1_0000_0000);
    this.config = structuredClone({ ...config, seed });
    this.random = seededRandom(seed);
    this.remaining = config.rules.map((rule) => rule.count);
  }

  clear(): void {
    this.set({ rules: [] });
  }

  current(): ActiveFaultConfig {
    return structuredClone(this.config);
  }

  get active(): boolean {
    return this.config.rules.length > 0;
  }

  /** Every `latency` rule that fires adds its delay; the first other rule that fires decides the outcome. */
  decide(method: string, path: string): FaultDecision {
    let delayMs = 0;
    let outcome: FaultOutcome | undefined;
    for (const [index, rule] of this.config.rules.entries()) {
      if (rule.kind !== "latency" && outcome) continue;
      if (!this.fires(index, rule, method, path)) continue;
      if (rule.kind === "latency") delayMs += this.latencyOf(rule.ms);
      else outcome = this.outcomeOf(index, rule);
    }
    return { delayMs, outcome };
  }

  /** A `lost_answer` that did not fire after all (the route answered an error) gives its budget back. */
  refund(rule: number): void {
    const left = this.remaining[rule];
    if (left !== undefined) this.remaining[rule] = left + 1;
  }

  private fires(index: number, rule: FaultRule, method: string, path: string): boolean {
    const left = this.remaining[index];
    if (left === 0) return false;
    if (rule.match?.method !== undefined && rule.match.method !== method) return false;
    if (rule.match?.path !== undefined && !matchesPattern(rule.match.path, path)) return false;
    // Rates of exactly 0 and 1 draw nothing, so adding a certain rule does not shift the others' draws.
    const hit = rule.rate >= 1 || (rule.rate > 0 && this.random() < rule.rate);
    if (hit && left !== undefined) this.remaining[index] = left - 1;
    return hit;
  }

  private outcomeOf(index: number, rule: Exclude<FaultRule, { kind: "latency" }>): FaultOutcome {
    switch (rule.kind) {
      case "error_5xx":
        return { kind: "error_5xx", status: this.pick(rule.statuses) };
      case "too_many_requests":
        return { kind: "too_many_requests", retryAfterS: rule.retry_after_s };
      case "timeout":
        return { kind: "timeout", holdMs: rule.hold_ms };
      case "lost_answer":
        return { kind: "lost_answer", as: rule.as, rule: index };
    }
  }

  private latencyOf(ms: number | readonly [number, number]): number {
    if (typeof ms === "number") return ms;
    const [min, max] = ms;
    return min + Math.floor(this.random() * (max - min + 1));
  }

  private pick<T>(values: readonly T[]): T {
    const index = values.length > 1 ? Math.floor(this.random() * values.length) : 0;
    const value = values[index];
    if (value === undefined) throw new RangeError("a fault rule has an empty list");
    return value;
  }
}
