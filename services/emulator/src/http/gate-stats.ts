import { FAULT_KINDS } from "./fault-config.ts";
import type { FaultKind } from "./fault-config.ts";

const MAX_WINDOWS = 10_000;

/** What the gate has seen since start or the last reset; the wire shape of `GET /admin/stats`. */
export interface GateStatsSnapshot {
  since: string;
  /** Requests seen per operation, e.g. `"POST /assets": 3`, faulted ones included. */
  requests: Record<string, number>;
  /** Faults injected, by kind. */
  faults: Record<FaultKind, number>;
  /** Requests that arrived from an API key inside a `Retry-After` window it had been given. */
  retry_after_violations: number;
  /**
   * Requests arriving this soon after a 429 are not counted: they were already on their way when
   * the 429 went out (a client with calls in flight cannot recall them).
   */
  retry_after_grace_ms: number;
}

/**
 * Counters for a fault run, and the `Retry-After` windows handed out per API key. A gateway that
 * honours Retry-After never calls inside its window; counting the calls that do makes that a
 * number a test can assert on.
 */
export class GateStats {
  private since = new Date();
  private requests = new Map<string, number>();
  private faults = zeroFaults();
  private violations = 0;
  /** API key → the window it was given: from when (the 429 went out) until when it should not call. */
  private readonly windows = new Map<string, { opened: number; until: number }>();

  /** @param graceMs calls arriving this soon after a 429 were in flight already. Default 250 ms. */
  constructor(private readonly graceMs = 250) {}

  /** Counts a request and whether it broke a window still open for its key. */
  arrived(operation: string, apiKey: string, now = Date.now()): void {
    this.requests.set(operation, (this.requests.get(operation) ?? 0) + 1);
    const window = this.windows.get(apiKey);
    if (window === undefined) return;
    if (now >= window.until) this.windows.delete(apiKey);
    else if (now >= window.opened + this.graceMs) this.violations += 1;
  }

  injected(kind: FaultKind): void {
    this.faults[kind] += 1;
  }

  /** Opens (or extends) the key's window when a 429 carrying `Retry-After` seconds was sent. */
  retryAfterSent(apiKey: string, seconds: number, now = Date.now()): void {
    if (!(seconds > 0)) return;
    // Any key is accepted when EMULATOR_API_KEY is unset; keep a key spray from growing the map.
    if (this.windows.size >= MAX_WINDOWS) for (const [key, window] of this.windows) if (window.until <= now) this.windows.delete(key);
    const until = now + seconds * 1000;
    const open = this.windows.get(apiKey);
    this.windows.set(apiKey, open && open.until > now ? { opened: open.opened, until: Math.max(until, open.until) } : { opened: now, until });
  }

  snapshot(): GateStatsSnapshot {
    return {
      since: this.since.toISOString(),
      requests: Object.fromEntries([...this.requests].sort(([a], [b]) => a.localeCompare(b))),
      faults: { ...this.faults },
      retry_after_violations: this.violations,
      retry_after_grace_ms: this.graceMs,
    };
  }

  /** Forgets everything, open windows included: a reset starts a new measurement. */
  reset(): void {
    this.since = new Date();
    this.requests = new Map();
    this.faults = zeroFaults();
    this.violations = 0;
    this.windows.clear();
  }
}

function zeroFaults(): Record<FaultKind, number> {
  return Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
}
