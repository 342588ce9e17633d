import { describe, expect, it } from "vitest";
import { fromResponse, fromTransport, kindOfStatus, PlatformError, retryAfterMs } from "./platform-error.ts";

describe("platform errors", () => {
  it("keeps the platform's code and message; a 4xx about the request is the client's, and final", () => {
    const error = fromResponse("create knowledge store", 400, { code: "parameter_invalid", message: "bad name" }, null);
    expect(error).toMatchObject({ status: 400, code: "parameter_invalid", kind: "client", retryable: false, message: "create knowledge store: bad name" });
  });

  it("treats 401, 402 and 403 as the operator's fault (Reelay's own key), retryable, never the tenant's", () => {
    for (const status of [401, 402, 403]) expect(kindOfStatus(status)).toBe("operator");
    expect(fromResponse("x", 401, { code: "api_key_invalid", message: "no" }, null).retryable).toBe(true);
  });

  it("retries 5xx and 408, waits on 429 for Retry-After in seconds or as a date", () => {
    expect(kindOfStatus(503)).toBe("transient");
    expect(kindOfStatus(408)).toBe("transient");
    expect(fromResponse("x", 429, {}, "7")).toMatchObject({ kind: "rate_limited", retryAfterMs: 7_000, code: "http_429" });
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs("soon")).toBeUndefined();
  });

  it("calls time-outs and refused connections transient, and passes a PlatformError through", () => {
    const timeout = new DOMException("timed out", "TimeoutError");
    expect(fromTransport("x", timeout)).toMatchObject({ code: "timeout", kind: "transient" });
    expect(fromTransport("x", new TypeError("fetch failed"))).toMatchObject({ code: "network_error", kind: "transient" });
    const original = new PlatformError("x", { code: "c", kind: "client" });
    expect(fromTransport("y", original)).toBe(original);
  });
});
