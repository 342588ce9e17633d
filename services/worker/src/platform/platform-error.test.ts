import { describe, expect, it } from "vitest";
import { TwelvelabsApiError, TwelvelabsApiTimeoutError } from "twelvelabs-js";
import { PlatformError, toPlatformError } from "./platform-error.ts";

const apiError = (statusCode: number, body: unknown, headers: Record<string, string> = {}) =>
  new TwelvelabsApiError({ message: "boom", statusCode, body, rawResponse: { headers: new Headers(headers), redirected: false, status: statusCode, statusText: "", type: "basic", url: "" } });

describe("toPlatformError", () => {
  it("keeps the platform's code and message and marks 4xx as final", () => {
    const error = toPlatformError(apiError(400, { code: "parameter_invalid", message: "bad name" }), "create knowledge store");
    expect(error).toMatchObject({ status: 400, code: "parameter_invalid", retryable: false, message: "create knowledge store: bad name" });
  });

  it("retries 5xx, 408 and 429, and reads Retry-After in seconds", () => {
    expect(toPlatformError(apiError(503, {}), "x").retryable).toBe(true);
    expect(toPlatformError(apiError(408, {}), "x").retryable).toBe(true);
    const limited = toPlatformError(apiError(429, { code: "too_many_requests", message: "slow down" }, { "retry-after": "7" }), "x");
    expect(limited).toMatchObject({ status: 429, retryable: true, retryAfterMs: 7_000 });
  });

  it("treats timeouts and transport failures as retryable", () => {
    expect(toPlatformError(new TwelvelabsApiTimeoutError("t"), "x")).toMatchObject({ code: "timeout", retryable: true });
    expect(toPlatformError(new TypeError("fetch failed"), "x")).toMatchObject({ code: "network_error", retryable: true });
    expect(toPlatformError(new TwelvelabsApiError({ message: "socket hang up" }), "x")).toMatchObject({ status: undefined, retryable: true });
  });

  it("passes a PlatformError through unchanged", () => {
    const original = new PlatformError("x", { code: "c", retryable: false });
    expect(toPlatformError(original, "y")).toBe(original);
  });
});
