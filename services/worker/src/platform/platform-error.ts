import { TwelvelabsApiError, TwelvelabsApiTimeoutError } from "twelvelabs-js";

/**
 * A failed call to the platform, classified once: network errors, timeouts, 408, 429 and 5xx
 * can succeed on retry; any other 4xx cannot.
 */
export class PlatformError extends Error {
  readonly status: number | undefined;
  readonly code: string;
  readonly retryable: boolean;
  /** From Retry-After, when the platform sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { status?: number | undefined; code: string; retryable: boolean; retryAfterMs?: number | undefined }) {
    super(message);
    this.name = "PlatformError";
    this.status = options.status;
    this.code = options.code;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}

function retryAfterMs(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function toPlatformError(error: unknown, operation: string): PlatformError {
  if (error instanceof PlatformError) return error;
  if (error instanceof TwelvelabsApiTimeoutError) {
    return new PlatformError(`${operation}: the platform did not answer in time`, { code: "timeout", retryable: true });
  }
  if (error instanceof TwelvelabsApiError) {
    const status = error.statusCode;
    const body = (error.body ?? {}) as { code?: unknown; message?: unknown };
    const code = typeof body.code === "string" ? body.code : status ? `http_${status}` : "network_error";
    const message = typeof body.message === "string" ? body.message : error.message;
    return new PlatformError(`${operation}: ${message}`, {
      status,
      code,
      // Fern reports transport failures as an error without a status code.
      retryable: status === undefined || status === 408 || status === 429 || status >= 500,
      retryAfterMs: retryAfterMs(error.rawResponse?.headers.get("retry-after")),
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new PlatformError(`${operation}: ${message}`, { code: "network_error", retryable: true });
}
