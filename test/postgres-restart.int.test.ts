import { mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TwelvelabsApiClient } from "twelvelabs-js";
import { makeSampleVideo, serveFiles, type FileServer } from "@reelay/sample-media";
import { createPrisma } from "@reelay/db";
import { startTestStackBehindProxy, type ProxiedTestStack } from "./support/proxied-stack.ts";
import { pollUntil, readJson } from "./support/stack.ts";
import { startTcpProxy, viaProxy } from "./support/tcp-proxy.ts";

const mediaDir = path.resolve(".data/test-media");
let stack: ProxiedTestStack;
let files: FileServer;
let platform: TwelvelabsApiClient;

beforeAll(async () => {
  await mkdir(mediaDir, { recursive: true });
  await makeSampleVideo(mediaDir);
  files = await serveFiles(mediaDir);
  // Item stages slow enough that the outage falls while the platform is still indexing; a prompt
  // reconciler, should the outage outlast a job's retries.
  stack = await startTestStackBehindProxy({ itemStageMs: 1_000, env: { RECONCILE_INTERVAL_MS: "2000" } });
  platform = new TwelvelabsApiClient({ apiKey: "test", environment: stack.platformUrl });
});
afterAll(async () => {
  await stack?.close();
  await files?.close();
});

/** The platform's copy of a Reelay store's only item: the platform keeps working through Reelay's outage. */
async function upstreamItemStatus(reelayStoreId: string): Promise<string | undefined> {
  const store = (await platform.knowledgeStores.list({ pageLimit: 50 })).data.find((s) => s.metadata?.reelay_id === reelayStoreId);
  if (!store?.id) return undefined;
  return (await platform.knowledgeStoreItems.list(store.id, { pageLimit: 50 })).data[0]?.status;
}

interface StreamedEvent {
  id: number;
  type: string;
}

/**
 * Follows a job's SSE stream the way EventSource does: when the stream breaks or the server
 * answers 503, it reconnects with `Last-Event-ID`, until the terminal event. Returns every event
 * received, in order, so a test can check that none was lost or repeated.
 */
async function followJobEvents(url: string, headers: Record<string, string>, deadlineMs = 60_000): Promise<StreamedEvent[]> {
  const events: StreamedEvent[] = [];
  const deadline = Date.now() + deadlineMs;
  const terminal = new Set(["job.succeeded", "job.failed", "job.cancelled"]);
  while (!events.some((e) => terminal.has(e.type))) {
    if (Date.now() > deadline) throw new Error(`stream incomplete after ${deadlineMs} ms: ${JSON.stringify(events)}`);
    const last = events.at(-1);
    try {
      const res = await fetch(url, { headers: { ...headers, ...(last ? { "last-event-id": String(last.id) } : {}) }, signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
      if (res.status !== 200 || !res.body) {
        await res.body?.cancel();
        await new Promise((resolve) => setTimeout(resolve, 250)); // EventSource's retry delay
        continue;
      }
      let buffer = "";
      for await (const chunk of res.body.pipeThrough(new TextDecoderStream())) {
        buffer += chunk;
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (\d+)$/m.exec(block)?.[1];
          const type = /^event: (.+)$/m.exec(block)?.[1];
          if (id && type) events.push({ id: Number(id), type });
        }
      }
    } catch {
      // The connection broke mid-stream: reconnect from the last id, as EventSource would.
    }
  }
  return events;
}

describe("Postgres restarting under a running Reelay", () => {
  it("answers 503 with Retry-After while Postgres is unreachable, recovers by itself, and finishes the work accepted before", async () => {
    const { apiKey, tenantId } = await stack.newTenant();
    const headers = { "x-api-key": apiKey };
    const json = { ...headers, "content-type": "application/json" };
    const api = (route: string, init: RequestInit = {}) => fetch(`${stack.base}${route}`, { headers, ...init });

    // Accepted work: an asset, a store and an item, indexed by the worker against the emulator.
    const form = new FormData();
    form.set("method", "url");
    form.set("url", files.url("sample.mp4"));
    const assetRes = await api("/assets", { method: "POST", body: form });
    expect(assetRes.status).toBe(201);
    const asset = await readJson(assetRes);
    const storeRes = await api("/knowledge-stores", { method: "POST", headers: json, body: JSON.stringify({ name: "outage" }) });
    expect(storeRes.status).toBe(201);
    const store = await readJson(storeRes);
    const itemRes = await api(`/knowledge-stores/${store._id}/items`, { method: "POST", headers: json, body: JSON.stringify({ asset_id: asset._id }) });
    expect(itemRes.status).toBe(202);
    const item = await readJson(itemRes);
    const itemPath = `/knowledge-stores/${store._id}/items/${item._id}`;

    // Cut once the platform holds the item and is indexing it, so the outage lands mid-flight.
    await pollUntil(() => readJson(api(itemPath)), (i) => i.status === "pending" || i.status === "processing");
    // A client following the item's job over SSE from before the outage to the end.
    const streamed = followJobEvents(`${stack.base}/jobs/${item.job_id}/events`, headers);
    // A long-poll in flight when the connections drop: it must end, with an answer, not a 500.
    const longPoll = api(`/jobs/${item.job_id}?wait=20`).then(async (res) => ({ status: res.status, body: await readJson(res) }));
    await stack.postgresProxy.cut();

    const duringOutage: Array<[string, RequestInit?]> = [
      [itemPath],
      [`/knowledge-stores/${store._id}`],
      [`/assets/${asset._id}`],
      ["/jobs"],
      ["/knowledge-stores", { method: "POST", headers: json, body: JSON.stringify({ name: "refused during the outage" }) }],
      [`/jobs/${item.job_id}/events`],
    ];
    for (const [route, init] of duringOutage) {
      const started = Date.now();
      const res = await api(route, init);
      expect({ route, status: res.status }).toEqual({ route, status: 503 });
      expect(res.headers.get("retry-after")).toBe("5");
      expect(await readJson(res)).toMatchObject({ code: "service_unavailable", message: expect.any(String), status: 503 });
      expect(Date.now() - started).toBeLessThan(6_000); // a refused connection fails fast; a silent one at the connect time-out
    }
    const ready = await fetch(`${stack.apiUrl}/readyz`);
    expect(ready.status).toBe(503);
    // Anonymous callers learn which dependency is down, and nothing about why.
    expect(await readJson(ready)).toEqual({ status: "unavailable", checks: { postgres: { ok: false }, redis: { ok: true } } });
    expect([200, 503]).toContain((await longPoll).status);

    // The platform finishes indexing while Reelay cannot record it: Reelay has to catch up afterwards.
    await pollUntil(() => upstreamItemStatus(store._id), (status) => status === "ready", { timeoutMs: 30_000, intervalMs: 250 });
    expect((await readJson(api(itemPath))).code).toBe("service_unavailable");

    await stack.postgresProxy.restore();

    // Nothing restarted: the same API and worker serve again once their pools reconnect.
    await pollUntil(() => api(`/knowledge-stores/${store._id}`).then((res) => res.status), (status) => status === 200, { timeoutMs: 15_000 });
    const afterRes = await api("/knowledge-stores", { method: "POST", headers: json, body: JSON.stringify({ name: "after the outage" }) });
    expect(afterRes.status).toBe(201);
    expect((await fetch(`${stack.apiUrl}/readyz`)).status).toBe(200);

    // The work accepted before the outage finishes.
    const { last: finished } = await pollUntil(() => readJson(api(itemPath)), (i) => i.status === "ready" || i.status === "failed", { timeoutMs: 45_000 });
    expect(finished.status).toBe("ready");
    expect(await stack.prisma.asset.findUniqueOrThrow({ where: { id: asset._id } })).toMatchObject({ status: "ready" });
    expect(await stack.prisma.knowledgeStore.findUniqueOrThrow({ where: { id: store._id } })).toMatchObject({ syncStatus: "synced" });
    const { last: jobs } = await pollUntil(
      () => stack.prisma.job.findMany({ where: { resourceId: { in: [asset._id, store._id, item._id] }, type: { not: "knowledge_store.watch_items" } }, select: { resourceId: true, status: true } }),
      (rows) => rows.length === 3 && rows.every((job) => job.status === "succeeded"),
    );
    expect(jobs).toHaveLength(3);
    // The SSE client saw every event of the job exactly once, in order, through the outage.
    const events = await streamed;
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)?.type).toBe("job.succeeded");
    // The create refused with a 503 wrote nothing: only the two stores answered 201 exist.
    const stores = await stack.prisma.knowledgeStore.findMany({ where: { tenantId }, select: { name: true } });
    expect(stores.map((s) => s.name).sort()).toEqual(["after the outage", "outage"]);
  });
});

describe("transactions cut off by a Postgres restart", () => {
  it("createPrisma > when as many transactions as the pool holds lose their connection > hands every connection back: the next query runs and $disconnect returns", async () => {
    const direct = new URL(stack.databaseUrl);
    const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const prisma = createPrisma(viaProxy(stack.databaseUrl, proxy), { connectTimeoutMs: 1_000 });
    try {
      // Ten transactions (pg's default pool size), interactive and batched, each mid-statement when the connections drop.
      const sleep = () => prisma.$queryRaw`SELECT pg_sleep(30)::text`;
      const transactions = [
        ...Array.from({ length: 8 }, () => prisma.$transaction(async (tx) => tx.$queryRaw`SELECT pg_sleep(30)::text`, { timeout: 60_000, maxWait: 10_000 })),
        ...Array.from({ length: 2 }, () => prisma.$transaction([prisma.$queryRaw`SELECT 1`, sleep()])),
      ].map((transaction) => transaction.then(() => "committed", () => "failed"));
      await pollUntil(
        () => stack.prisma.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(30)%'`,
        (rows) => Number(rows[0]?.n) === 10,
      );
      await proxy.cut();
      expect(await Promise.all(transactions)).toEqual(Array(10).fill("failed"));
      await proxy.restore();

      // Before the fix no connection came back: this waited for a free one until the connect time-out.
      expect(await prisma.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
      // ...and $disconnect (pool.end) waited for the lost ones forever.
      const disconnected = await Promise.race([prisma.$disconnect().then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 5_000).unref())]);
      expect(disconnected).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});
