import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../start-emulator.ts";
import { rawClient, startTestEmulator } from "../testing/emulator-fixtures.ts";

describe("an unknown method on a known path", () => {
  let emulator: RunningEmulator;
  let api: ReturnType<typeof rawClient>;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    api = rawClient(emulator.url);
  });
  afterAll(() => emulator?.close());

  it("answers 405 in the platform's error shape with an Allow header listing the methods the path takes", async () => {
    const res = await api("PUT", "/knowledge-stores/ks_anything");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("DELETE, GET, HEAD, PATCH");
    expect(res.json).toEqual({ code: "method_not_allowed", message: expect.stringContaining("PUT") });
    expect(res.headers.get("x-api-version")).toBe("v1.3");

    expect((await api("DELETE", "/responses")).headers.get("allow")).toBe("POST");
    expect((await api("GET", "/assets/multipart-uploads/u1/presigned-urls")).status).toBe(405);
    expect((await api("PATCH", "/assets")).headers.get("allow")).toBe("GET, HEAD, POST");
  });

  it("covers the storage-like URLs outside /v1.3 too", async () => {
    const origin = new URL(emulator.url).origin;
    const res = await fetch(`${origin}/uploads/u1/1?token=t`, { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("PUT");
  });

  it("still answers 404 resource_not_exist for a path that is no endpoint", async () => {
    const res = await api("PUT", "/no-such-endpoint");
    expect(res.status).toBe(404);
    expect(res.json.code).toBe("resource_not_exist");
  });
});
