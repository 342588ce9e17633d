import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../start-emulator.ts";
import { rawClient, startTestEmulator } from "../testing/emulator-fixtures.ts";

describe("cross-cutting HTTP behaviour", () => {
  let open: RunningEmulator;
  let locked: RunningEmulator;

  beforeAll(async () => {
    open = await startTestEmulator();
    locked = await startTestEmulator({ apiKey: "the-only-key" });
  });
  afterAll(async () => {
    await open?.close();
    await locked?.close();
  });

  it("when x-api-key is missing > answers 401 api_key_invalid, with X-Api-Version", async () => {
    const res = await rawClient(open.url, null)("GET", "/knowledge-stores");
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ code: "api_key_invalid", message: expect.any(String) });
    expect(res.headers.get("x-api-version")).toBe("v1.3");
  });

  it("accepts any non-empty key unless EMULATOR_API_KEY is set, then only that key", async () => {
    expect((await rawClient(open.url, "whatever")("GET", "/knowledge-stores")).status).toBe(200);
    expect((await rawClient(locked.url, "whatever")("GET", "/knowledge-stores")).status).toBe(401);
    expect((await rawClient(locked.url, "the-only-key")("GET", "/knowledge-stores")).status).toBe(200);
  });

  it("every answer carries X-Api-Version: v1.3", async () => {
    const ok = await rawClient(open.url)("GET", "/assets");
    expect(ok.headers.get("x-api-version")).toBe("v1.3");
    const unknown = await rawClient(open.url)("GET", "/no-such-endpoint");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("x-api-version")).toBe("v1.3");
    expect(unknown.json.code).toBe("resource_not_exist");
  });

  it("when the JSON body is malformed > answers 400 parameter_invalid, not 500", async () => {
    const res = await rawClient(open.url)("POST", "/knowledge-stores", "{\"name\":", { "content-type": "application/json" });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ code: "parameter_invalid", message: "The request body is not valid JSON." });
  });
});
