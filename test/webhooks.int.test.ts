import { mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { makeSampleVideo, serveFiles, type FileServer } from "@reelay/sample-media";
import { startReceiver, type Receiver } from "./support/receiver.ts";
import { killHard, pollUntil, readJson, spawnWorker, startTestStack, stopGently, type Json, type TestStack } from "./support/stack.ts";

const mediaDir = path.resolve(".data/test-media");
let stack: TestStack;
let files: FileServer;
const receivers: Receiver[] = [];

// Fast retries and short time-outs, so a schedule of several attempts fits in a test.
const webhookEnv = {
  WEBHOOK_RETRY_SCHEDULE_MS: "200,200,200,200,200,200,200,200,200",
  WEBHOOK_TIMEOUT_MS: "5000",
  WEBHOOK_LEASE_MS: "6000",
  RECONCILE_INTERVAL_MS: "1000",
};

beforeAll(async () => {
  await mkdir(mediaDir, { recursive: true });
  await makeSampleVideo(mediaDir);
  files = await serveFiles(mediaDir);
  stack = await startTestStack({ env: webhookEnv });
});
afterAll(async () => {
  await stack?.close();
  await files?.close();
});
afterEach(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close();
});

async function receiver(reply?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const started = await startReceiver(reply);
  receivers.push(started);
  return started;
}

function client(apiKey: string, base = stack.base) {
  const headers = { "x-api-key": apiKey };
  const json = { ...headers, "content-type": "application/json" };
  return {
    get: (p: string) => fetch(`${base}${p}`, { headers }),
    post: (p: string, body?: unknown) => fetch(`${base}${p}`, { method: "POST", headers: json, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
    patch: (p: string, body: unknown) => fetch(`${base}${p}`, { method: "PATCH", headers: json, body: JSON.stringify(body) }),
    del: (p: string) => fetch(`${base}${p}`, { method: "DELETE", headers }),
    /** URL asset → store → item; returns their bodies. */
    async flow() {
      const form = new FormData();
      form.set("method", "url");
      form.set("url", files.url("sample.mp4"));
      const asset = await readJson(fetch(`${base}/assets`, { method: "POST", headers, body: form }));
      const store = await readJson(this.post("/knowledge-stores", { name: "webhooks" }));
      const item = await readJson(this.post(`/knowledge-stores/${store._id}/items`, { asset_id: asset._id }));
      return { asset, store, item };
    },
  };
}

/** Verifies a delivery the way a receiver would, with the standardwebhooks library (never our code). */
function verify(secret: string, request: Receiver["received"][number]): Json {
  return new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
}

describe("webhooks", () => {
  it("an item becoming ready produces exactly one signed knowledge_store_item.ready event that verifies", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const hook = await receiver();
    const created = await api.post("/webhooks", { url: hook.url, events: ["knowledge_store_item.ready"], description: "ready items" });
    expect(created.status).toBe(201);
    const endpoint = await readJson(created);
    expect(endpoint).toMatchObject({ _id: expect.stringMatching(/^we_/), url: hook.url, events: ["knowledge_store_item.ready"], enabled: true });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    // The secret is shown at creation only.
    expect((await readJson(api.get(`/webhooks/${endpoint._id}`))).secret).toBeUndefined();

    const { store, item } = await api.flow();
    const [request] = await hook.waitFor((r) => r.length >= 1);
    const payload = verify(endpoint.secret, request!);
    expect(payload).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      type: "knowledge_store_item.ready",
      timestamp: expect.any(String),
      sequence: expect.any(Number),
      data: { _id: item._id, status: "ready", asset_id: item.asset_id, knowledge_store_id: store._id, job_id: item.job_id },
    });
    expect(request!.headers["webhook-id"]).toBe(payload.id);

    // Exactly one: the delivery is recorded as succeeded and no other event matched the filter.
    await pollUntil(() => readJson(api.get(`/webhooks/${endpoint._id}/deliveries`)), (list) => list.data[0]?.status === "succeeded");
    const deliveries = await readJson(api.get(`/webhooks/${endpoint._id}/deliveries`));
    expect(deliveries.data).toHaveLength(1);
    expect(deliveries.data[0]).toMatchObject({ event_id: payload.id, event_type: "knowledge_store_item.ready", attempts: 1, attempt_log: [{ status_code: 200, response: "ok" }] });
    await stack.relayIdle();
    expect(hook.received).toHaveLength(1);
  });

  it("a receiver answering 500 twice then 200 gets the event on the third attempt, with the same webhook-id", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const hook = await receiver((_request, index) => (index < 2 ? { status: 500, body: "boom" } : 200));
    const endpoint = await readJson(api.post("/webhooks", { url: hook.url, events: ["knowledge_store.created"] }));
    await api.post("/knowledge-stores", { name: "retried" });

    const requests = await hook.waitFor((r) => r.length >= 3);
    expect(new Set(requests.map((r) => r.headers["webhook-id"])).size).toBe(1);
    for (const request of requests) verify(endpoint.secret, request);
    const [delivery] = (await pollUntil(() => readJson(api.get(`/webhooks/${endpoint._id}/deliveries`)), (list) => list.data[0]?.status === "succeeded")).last.data;
    expect(delivery.attempt_log.map((a: Json) => a.status_code)).toEqual([500, 500, 200]);
    expect(delivery.attempt_log[0]).toMatchObject({ error: "HTTP 500", response: "boom", trigger: "scheduled" });
    expect(delivery.attempts).toBe(3);
  });

  it("a receiver answering 410 Gone disables its endpoint and the tenant's other endpoints hear of it", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const gone = await receiver(() => 410);
    const watcher = await receiver();
    const goneEndpoint = await readJson(api.post("/webhooks", { url: gone.url, events: ["knowledge_store.created"] }));
    await api.post("/webhooks", { url: watcher.url, events: ["webhook_endpoint.disabled"] });
    await api.post("/knowledge-stores", { name: "gone" });

    await watcher.waitFor((r) => r.length >= 1);
    const [notice] = watcher.events();
    expect(notice).toMatchObject({ type: "webhook_endpoint.disabled", data: { _id: goneEndpoint._id, enabled: false, disabled_reason: expect.stringMatching(/410/) } });
    const disabled = await readJson(api.get(`/webhooks/${goneEndpoint._id}`));
    expect(disabled).toMatchObject({ enabled: false, disabled_reason: expect.stringMatching(/410/) });

    // Nothing more goes to a disabled endpoint.
    await api.post("/knowledge-stores", { name: "after" });
    await stack.relayIdle();
    expect(gone.received).toHaveLength(1);
  });

  it("a worker SIGKILLed between the state change and the delivery still delivers after restart, once", async () => {
    // A stack of its own whose worker runs in a child process, so it can be killed.
    const own = await startTestStack({ env: webhookEnv, startWorker: false });
    try {
      const { apiKey } = await own.newTenant();
      const api = client(apiKey, own.base);
      let answered = 0;
      // The first request is never answered: the worker dies while it waits for the receiver.
      const hook = await receiver((_r, index) => (index === 0 ? "hang" : (answered++, 200)));
      const endpoint = await readJson(api.post("/webhooks", { url: hook.url, events: ["knowledge_store.created"] }));
      const store = await readJson(api.post("/knowledge-stores", { name: "killed" }));

      const first = spawnWorker(own, { WORKER_LOCK_MS: "2000" });
      try {
        await hook.waitFor((r) => r.length >= 1);
      } finally {
        await killHard(first);
      }
      const survivor = spawnWorker(own, { WORKER_LOCK_MS: "2000" });
      try {
        await hook.waitFor((r) => r.length >= 2);
        const delivery = (await pollUntil(() => own.prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint._id } }), (d) => d.status === "succeeded")).last;
        expect(delivery.attempts).toBe(1);
      } finally {
        await stopGently(survivor);
      }
      // Same message both times; the receiver acknowledged it once.
      expect(hook.received.map((r) => JSON.parse(r.body).data._id)).toEqual([store._id, store._id]);
      expect(new Set(hook.received.map((r) => r.headers["webhook-id"])).size).toBe(1);
      expect(answered).toBe(1);
    } finally {
      await own.close();
    }
  }, 60_000);

  it("events that committed while no worker ran are delivered once one starts", async () => {
    const own = await startTestStack({ env: webhookEnv, startWorker: false });
    try {
      const { apiKey } = await own.newTenant();
      const api = client(apiKey, own.base);
      const hook = await receiver();
      await api.post("/webhooks", { url: hook.url, events: ["knowledge_store.created"] });
      for (const name of ["a", "b", "c"]) await api.post("/knowledge-stores", { name });
      expect(await own.prisma.event.count({ where: { type: "knowledge_store.created", relayedAt: null } })).toBe(3);

      const worker = spawnWorker(own);
      try {
        await hook.waitFor((r) => r.length >= 3);
        await pollUntil(() => own.prisma.webhookDelivery.count({ where: { status: "succeeded" } }), (n) => n === 3);
      } finally {
        await stopGently(worker);
      }
      expect(hook.events().map((e) => e.data.name).sort()).toEqual(["a", "b", "c"]);
    } finally {
      await own.close();
    }
  }, 60_000);

  it("after a secret rotation each delivery is signed with both secrets for the overlap", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const hook = await receiver();
    const endpoint = await readJson(api.post("/webhooks", { url: hook.url, events: ["knowledge_store.created"] }));
    const rotated = await readJson(api.post(`/webhooks/${endpoint._id}/rotate-secret`));
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(endpoint.secret);

    await api.post("/knowledge-stores", { name: "rotated" });
    const [request] = await hook.waitFor((r) => r.length >= 1);
    expect(String(request!.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(verify(rotated.secret, request!).type).toBe("knowledge_store.created");
    expect(verify(endpoint.secret, request!).type).toBe("knowledge_store.created");
    expect(() => verify(`whsec_${Buffer.from("another secret entirely").toString("base64")}`, request!)).toThrow();
  });

  it("one resource's events arrive in increasing sequence, even when an early one has to be retried", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    // The first `pending` delivery fails: `processing` and `ready` must wait behind its retry.
    let failedPending = false;
    const hook = await receiver((request) => {
      if (!failedPending && JSON.parse(request.body).type === "knowledge_store_item.pending") {
        failedPending = true;
        return 503;
      }
      return 200;
    });
    const itemEvents = ["knowledge_store_item.created", "knowledge_store_item.pending", "knowledge_store_item.processing", "knowledge_store_item.ready"];
    await api.post("/webhooks", { url: hook.url, events: itemEvents });
    const { item } = await api.flow();

    await hook.waitFor(() => hook.events().some((e) => e.type === "knowledge_store_item.ready"));
    const arrivals = hook.events().filter((e) => e.data._id === item._id);
    // The first `pending` was answered 503 and sent again later: leave that failed attempt out.
    const firstPending = arrivals.findIndex((e) => e.type === "knowledge_store_item.pending");
    const delivered = arrivals.filter((_, index) => index !== firstPending);
    const sequences = delivered.map((e) => e.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(delivered.map((e) => e.type)).toEqual(itemEvents);
    expect(failedPending).toBe(true);
  });

  it("a dead endpoint does not delay a healthy one", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const dead = await receiver(() => "hang");
    const healthy = await receiver();
    await api.post("/webhooks", { url: dead.url, events: ["knowledge_store.created"] });
    await api.post("/webhooks", { url: healthy.url, events: ["knowledge_store.created"] });
    for (let i = 0; i < 20; i++) await api.post("/knowledge-stores", { name: `s${i}` });

    await healthy.waitFor((r) => r.length >= 20);
    await dead.waitFor((r) => r.length >= 1);
    // All twenty reached the healthy receiver before the dead one's first request even timed out.
    expect(healthy.received[19]!.at).toBeLessThan(dead.received[0]!.at + Number(webhookEnv.WEBHOOK_TIMEOUT_MS));
  });

  it("redirects are not followed: a 3xx is a failed attempt", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const target = await receiver();
    const redirecting = await receiver(() => ({ status: 302, headers: { location: target.url } }));
    const endpoint = await readJson(api.post("/webhooks", { url: redirecting.url, events: ["knowledge_store.created"] }));
    await api.post("/knowledge-stores", { name: "redirect" });
    const list = (await pollUntil(() => readJson(api.get(`/webhooks/${endpoint._id}/deliveries`)), (l) => l.data[0]?.attempt_log.length >= 1)).last;
    expect(list.data[0].attempt_log[0]).toMatchObject({ status_code: 302, error: expect.stringMatching(/redirect/) });
    expect(target.received).toHaveLength(0);
  });

  it("a failed delivery can be retried by hand, and every failure since a time recovered", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    let healthy = false;
    const hook = await receiver(() => (healthy ? 200 : 500));
    const endpoint = await readJson(api.post("/webhooks", { url: hook.url, events: ["knowledge_store.created"] }));
    const since = new Date().toISOString();
    await api.post("/knowledge-stores", { name: "one" });
    await api.post("/knowledge-stores", { name: "two" });
    // Let the schedule run out (ten attempts at test speed) so both end failed.
    const exhausted = (await pollUntil(() => readJson(api.get(`/webhooks/${endpoint._id}/deliveries?status=failed`)), (l) => l.data.length === 2, { intervalMs: 250 })).last;
    expect(exhausted.data[0].attempts).toBe(10);

    healthy = true;
    const retried = await api.post(`/webhooks/${endpoint._id}/deliveries/${exhausted.data[0]._id}/retry`);
    expect(retried.status).toBe(202);
    await pollUntil(() => readJson(api.get(`/webhooks/${endpoint._id}/deliveries?status=succeeded`)), (l) => l.data.length === 1);
    const recovered = await readJson(api.post(`/webhooks/${endpoint._id}/recover`, { since }));
    expect(recovered).toEqual({ recovered: 1 });
    const done = (await pollUntil(() => readJson(api.get(`/webhooks/${endpoint._id}/deliveries?status=succeeded`)), (l) => l.data.length === 2)).last;
    expect(done.data.flatMap((d: Json) => d.attempt_log.filter((a: Json) => a.status_code === 200).map((a: Json) => a.trigger))).toEqual(["manual", "manual"]);
  });

  it("endpoints are managed per tenant: list, update, disable, test, delete; bad URLs and other tenants refused", async () => {
    const { apiKey } = await stack.newTenant();
    const other = client((await stack.newTenant()).apiKey);
    const api = client(apiKey);
    const hook = await receiver();
    const endpoint = await readJson(api.post("/webhooks", { url: hook.url }));
    expect(endpoint.events).toEqual([]);

    expect((await other.get(`/webhooks/${endpoint._id}`)).status).toBe(404);
    expect((await other.del(`/webhooks/${endpoint._id}`)).status).toBe(404);
    for (const url of ["ftp://example.com/hook", "http://10.0.0.1/hook", "http://169.254.169.254/latest", "not a url"]) {
      const res = await api.post("/webhooks", { url });
      expect(res.status, url).toBe(400);
      expect(await readJson(res), url).toMatchObject({ code: "parameter_invalid", errors: expect.arrayContaining([expect.objectContaining({ field: "url" })]) });
    }
    expect((await api.post("/webhooks", { url: hook.url, events: ["no.such_event"] })).status).toBe(400);

    const tested = await readJson(api.post(`/webhooks/${endpoint._id}/test`));
    const [ping] = await hook.waitFor((r) => r.length >= 1);
    expect(verify(endpoint.secret, ping!)).toMatchObject({ id: tested.event_id, type: "webhook_endpoint.test", data: { _id: endpoint._id } });

    const updated = await readJson(api.patch(`/webhooks/${endpoint._id}`, { events: ["asset.ready"], description: "assets", enabled: false }));
    expect(updated).toMatchObject({ events: ["asset.ready"], description: "assets", enabled: false, disabled_reason: expect.any(String) });
    expect((await api.post(`/webhooks/${endpoint._id}/test`)).status).toBe(409);
    expect((await readJson(api.patch(`/webhooks/${endpoint._id}`, { enabled: true }))).enabled).toBe(true);
    expect((await readJson(api.get("/webhooks"))).data.map((e: Json) => e._id)).toEqual([endpoint._id]);
    expect((await api.del(`/webhooks/${endpoint._id}`)).status).toBe(204);
    expect((await api.get(`/webhooks/${endpoint._id}`)).status).toBe(404);
  });
});
