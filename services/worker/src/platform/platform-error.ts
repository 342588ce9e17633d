/**
 * Who is at fault when a platform call fails, decided once, here:
 * - `client`: the platform refused what the tenant asked (a 4xx about the request): final;
 * - `operator`: the platform refused Reelay itself (401/402/403: our key is wrong, expired or out
 *   of credit): not the tenant's fault and not final: jobs pause and resume once it is fixed;
 * - `rate_limited`: 429: wait as long as asked, every worker;
 * - `transient`: network errors, time-outs, 408 and 5xx: retry.
 */
export type FaultKind = "client" | "operator" | "rate_limited" | "transient";

export class PlatformError extends Error {
  readonly status: number | undefined;
  readonly code: string;
  readonly kind: FaultKind;
  /** From Retry-After, when the platform sent one (or our own limiter's wait). */
  readonly retryAfterMs: number | undefined;

  /** The call that failed, e.g. "create asset". */
  readonly operation: string;

  constructor(message: string, options: { status?: number | undefined; code: string; kind: FaultKind; retryAfterMs?: number | undefined; operation?: string }) {
    super(message);
    this.operation = options.operation ?? message.split(":")[0] ?? "";
    this.name = "PlatformError";
    this.status = options.status;
    this.code = options.code;
    this.kind = options.kind;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Whether trying again can help (everything but a client fault). */
  get retryable(): boolean {
    return this.kind !== "client";
  }

  /**
   * Whether the platform certainly did not act on the call: it was refused before any work (429,
   * Reelay's own credentials, a bad request) or never sent (our own rate limit). A 5xx or a
   * time-out is not certain: the platform may have done the work and lost the answer.
   */
  get notApplied(): boolean {
    return this.kind !== "transient";
  }
}

export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function kindOfStatus(status: number): FaultKind {
  if (status === 429) return "rate_limited";
  if (status === 401 || status === 402 || status === 403) return "operator";
  if (status === 408 || status >= 500) return "transient";
  return "client";
}

/** An answer that is not 2xx, with the platform's own `code` and `message` where it sent them. */
export function fromResponse(operation: string, status: number, body: unknown, retryAfter: string | null): PlatformError {
  const parsed = (body && typeof body === "object" ? body : {}) as { code?: unknown; message?: unknown };
  const code = typeof parsed.code === "string" ? parsed.code : `http_${status}`;
  const message = typeof parsed.message === "string" ? parsed.message : `HTTP ${status}`;
  return new PlatformError(`${operation}: ${message}`, { status, code, kind: kindOfStatus(status), retryAfterMs: retryAfterMs(retryAfter) });
}

/** No answer at all: the connection failed or the time ran out. */
export function fromTransport(operation: string, error: unknown): PlatformError {
  if (error instanceof PlatformError) return error;
  const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
  return timedOut
    ? new PlatformError(`${operation}: the platform did not answer in time`, { code: "timeout", kind: "transient" })
    : new PlatformError(`${operation}: the platform could not be reached`, { code: "network_error", kind: "transient" });
}
