import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "@reelay/api";
import { createIdleAppDeps } from "./support/app-deps.ts";

/** The API against a Postgres that is really unreachable (nothing listens on port 1), and the real Redis. */
const logged: Array<{ message: string; error: unknown }> = [];
let app: ReturnType<typeof createApp>;
let close: () => Promise<void>;

beforeAll(async () => {
  const idle = await createIdleAppDeps({ log: (message, error) => logged.push({ message, error }) });
  app = createApp(idle.deps);
  close = idle.close;
});
afterAll(async () => close?.());

describe("GET /readyz", () => {
  it("when Postgres is unreachable > answers 503 with ok flags only, and logs why once", async () => {
    const first = await request(app).get("/readyz");
    expect(first.status).toBe(503);
    // Anonymous callers learn which dependency is down, never a host, a port or a driver message.
    expect(first.body).toEqual({ status: "unavailable", checks: { postgres: { ok: false }, redis: { ok: true } } });
    expect(logged.map((entry) => entry.message)).toEqual(["readyz: postgres check failed"]);
    expect(String(logged[0]?.error)).toMatch(/Can't reach database server/);

    // An orchestrator polls through an outage: the same failure is not logged again.
    expect((await request(app).get("/readyz")).status).toBe(503);
    expect(logged).toHaveLength(1);
  });
});
