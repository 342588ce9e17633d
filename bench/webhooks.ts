import { createServer, Agent, request } from "node:http";
import type { AddressInfo } from "node:net";
import { newId } from "@reelay/contract";
import type { PrismaClient } from "@reelay/db";
import { createKnowledgeStoreRecord } from "@reelay/domain";
import { startWorker } from "@reelay/worker";
import { startBenchStack } from "./lib/bench-stack.ts";
import { percentile, type Row } from "./lib/report.ts";

/** A loopback receiver that answers 204 and notes when each event arrived and when it was made. */
async function startReceiver() {
  const arrivals: Array<{ at: number; delayMs: number }> = [];
  let waiter: (() => void) | undefined;
  let want = Infinity;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const at = Date.now();
      const body = Buffer.concat(chunks).toString();
      const timestamp = body.startsWith("{") ? Date.parse((JSON.parse(body) as { timestamp?: string }).timestamp ?? "") : NaN;
      arrivals.push({ at, delayMs: at - timestamp });
      res.writeHead(204).end();
      if (arrivals.length >= want) waiter?.();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrivals,
    reset: () => arrivals.splice(0),
    until: (count: number, timeoutMs: number) =>
      new Promise<void>((resolve, reject) => {
        if (arrivals.length >= count) return resolve();
        want = count;
        const timer = setTimeout(() => reject(new Error(`only ${arrivals.length}/${count} deliveries within ${timeoutMs} ms`)), timeoutMs);
        waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The same number of POSTs of a similar body straight to the receiver: what the loopback can do. */
async function rawPosts(url: string, count: number, concurrency: number, body: string): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < count) {
        await new Promise<void>((resolve, reject) => {
          const req = request(url, { method: "POST", agent, headers: { "content-type": "application/json" } }, (res) => {
            res.resume();
            res.on("end", resolve);
          });
          req.on("error", reject);
          req.end(body);
        });
      }
    }),
  );
  agent.destroy();
  return count / ((performance.now() - started) / 1000);
}

/**
 * Commits `count` state changes (a knowledge store each, so each event is its own resource) with 16
 * writers. Each store's create job is marked done in the same transaction (see below).
 */
async function produce(prisma: PrismaClient, tenantId: string, count: number): Promise<number> {
  const started = performance.now();
  let made = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (made < count) {
        const n = made++;
        await prisma.$transaction(async (tx) => {
          const { job } = await createKnowledgeStoreRecord(tx, { id: newId("knowledgeStore"), tenantId, name: `bench store ${n}` });
          // Delivery is what is measured, not the store's creation upstream: without this the relay
          // would start each store's create job (it starts jobs written without a dispatch), and a
          // thousand creations on the emulator would compete with the deliveries for the CPU.
          await tx.job.update({ where: { id: job.id }, data: { status: "succeeded", finishedAt: new Date() } });
        });
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/**
 * Webhook delivery to one local receiver, in two runs of `events` state changes each:
 * - live: the worker runs while 16 writers commit; delay is arrival minus the event's timestamp;
 * - backlog: the events are committed while no worker runs, then one starts; throughput is how
 *   fast it drains them (relay + delivery, without the writers competing for the CPU).
 */
export async function benchWebhooks(options: { events?: number } = {}): Promise<Row[]> {
  const events = options.events ?? 1_000;
  const receiver = await startReceiver();
  const sample = JSON.stringify({ id: newId("event"), type: "knowledge_store.created", timestamp: new Date().toISOString(), sequence: 1, data: { _id: newId("knowledgeStore"), name: "bench store 0000", item_count: 0 } });
  const baseline = await rawPosts(receiver.url, events, 16, sample);
  receiver.reset();

  // No reconciler pass during the run: it would start every store's creation on the emulator.
  const stack = await startBenchStack({ env: { RECONCILE_INTERVAL_MS: "3600000" }, startWorker: false });
  const quiet = () => {};
  try {
    const created = await fetch(`${stack.base}/webhooks`, {
      method: "POST",
      headers: { "x-api-key": stack.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ url: receiver.url, events: ["knowledge_store.created"] }),
    });
    if (created.status !== 201) throw new Error(`registering the receiver failed: ${created.status} ${await created.text()}`);

    let worker = await startWorker(stack.workerConfig, quiet);
    const committedPerSecond = await produce(stack.prisma, stack.tenantId, events);
    await receiver.until(events, 120_000);
    const delays = receiver.arrivals.map((a) => a.delayMs);
    await worker.close();
    receiver.reset();

    await produce(stack.prisma, stack.tenantId, events);
    const drainStarted = Date.now();
    worker = await startWorker(stack.workerConfig, quiet);
    const workerStartMs = Date.now() - drainStarted;
    await receiver.until(events, 120_000);
    // From the first delivery to the last: the worker's own start (its reconciler, its connections)
    // is not delivery, and would be a large part of a one-second run.
    const arrivals = receiver.arrivals.map((a) => a.at);
    const drainSeconds = (Math.max(...arrivals) - Math.min(...arrivals)) / 1000;
    const firstDeliveryMs = Math.min(...arrivals) - drainStarted;
    await worker.close();

    return [
      { bench: "webhooks", metric: `deliveries/s, draining ${events} committed events (first delivery to last; the first came ${firstDeliveryMs} ms after the worker was started, which took ${workerStartMs} ms)`, value: (events - 1) / drainSeconds, unit: "/s", baseline: { label: "raw loopback POSTs, 16 in flight", value: baseline }, goal: { op: ">=", value: 1_000 } },
      { bench: "webhooks", metric: "state changes committed/s (16 writers, live run)", value: committedPerSecond, unit: "/s" },
      { bench: "webhooks", metric: "state change → delivery p50 (live run)", value: percentile(delays, 50), unit: "ms" },
      { bench: "webhooks", metric: "state change → delivery p99 (live run)", value: percentile(delays, 99), unit: "ms", goal: { op: "<", value: 500 } },
    ];
  } finally {
    await stack.close();
    await receiver.close();
  }
}
