import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebhookPoster } from "./post-webhook.ts";

let server: Server;
let port: number;
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    if (req.url === "/slow") return; // never answers
    if (req.url === "/big") {
      res.writeHead(200).end("x".repeat(200_000));
      return;
    }
    if (req.url === "/busy") {
      res.writeHead(429, { "retry-after": "7" }).end("slow down");
      return;
    }
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("posting a webhook", () => {
  it("with private targets refused > never connects to loopback, by name or by literal", async () => {
    const poster = createWebhookPoster({ privateTargets: "none" });
    const before = hits;
    for (const url of [`http://127.0.0.1:${port}/`, `http://localhost:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`]) {
      const result = await poster.post(url, {}, "{}");
      expect(result.statusCode, url).toBeUndefined();
      expect(result.error, url).toMatch(/private, loopback or link-local/);
    }
    expect(hits).toBe(before);
    poster.close();
  });

  it("with loopback allowed > delivers, and reads Retry-After and at most a KiB of the answer", async () => {
    const poster = createWebhookPoster({ privateTargets: "loopback" });
    expect(await poster.post(`http://127.0.0.1:${port}/ok`, {}, "{}")).toMatchObject({ statusCode: 204 });
    expect(await poster.post(`http://127.0.0.1:${port}/busy`, {}, "{}")).toMatchObject({ statusCode: 429, retryAfterMs: 7_000, response: "slow down" });
    const big = await poster.post(`http://127.0.0.1:${port}/big`, {}, "{}");
    expect(big.statusCode).toBe(200);
    expect(big.response).toHaveLength(1024);
    poster.close();
  });

  it("a receiver that never answers > fails the attempt after the time-out", async () => {
    const poster = createWebhookPoster({ privateTargets: "loopback", timeoutMs: 300 });
    const result = await poster.post(`http://127.0.0.1:${port}/slow`, {}, "{}");
    expect(result.statusCode).toBeUndefined();
    expect(result.error).toMatch(/no answer within/);
    expect(result.latencyMs).toBeGreaterThanOrEqual(250);
    poster.close();
  });
});
