import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BenchStack } from "./lib/bench-stack.ts";
import { startBenchStack } from "./lib/bench-stack.ts";
import { addItems, imageStore } from "./lib/indexed-items.ts";
import { tinyImage } from "./lib/media.ts";
import { sized, type BenchOptions } from "./lib/options.ts";
import { mean, percentile, progress, type Row } from "./lib/report.ts";

const BENCH = "p1 polling cost";
/** The SDK's habit: GET each item every 10 s until it is ready. */
const SDK_POLL_MS = 10_000;
/** Status look-ups: one item (GET) or a page of the store's items (the watcher's list). */
const ITEM_GET = /^GET \/knowledge-stores\/:[^/]+\/items(\/:[^/]+)?$/;

/** Waits until every item of the store is ready or failed, checking Postgres once a second. */
async function untilSettled(stack: BenchStack, storeId: string, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let last = -1; ; ) {
    const settled = await stack.prisma.knowledgeStoreItem.count({ where: { knowledgeStoreId: storeId, status: { in: ["ready", "failed"] } } });
    if (settled !== last) progress(BENCH, `${settled}/${count} items ready`);
    last = settled;
    if (settled >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${settled}/${count} items ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** When each item was ready upstream (the emulator's updated_at) and how long indexing took there. */
async function upstreamTimes(stack: BenchStack, storeId: string, itemIds: string[]) {
  const { upstreamId: upstreamStore } = await stack.prisma.knowledgeStore.findUniqueOrThrow({ where: { id: storeId } });
  const rows = await stack.prisma.knowledgeStoreItem.findMany({ where: { id: { in: itemIds } }, select: { id: true, upstreamId: true, status: true } });
  const readyEvents = await stack.prisma.event.findMany({ where: { resourceId: { in: itemIds }, type: "knowledge_store_item.ready" }, select: { resourceId: true, createdAt: true } });
  const seenAt = new Map(readyEvents.map((event) => [event.resourceId, event.createdAt.getTime()]));
  const times: Array<{ upstreamMs: number; delayMs: number }> = [];
  for (const row of rows) {
    const seen = seenAt.get(row.id);
    if (row.status !== "ready" || !row.upstreamId || seen === undefined) continue;
    const response = await fetch(`${stack.platformUrl}/knowledge-stores/${upstreamStore}/items/${row.upstreamId}`, { headers: { "x-api-key": "bench" } });
    const upstream = (await response.json()) as { status: string; created_at: string; updated_at: string };
    const readyAt = Date.parse(upstream.updated_at);
    times.push({ upstreamMs: readyAt - Date.parse(upstream.created_at), delayMs: seen - readyAt });
  }
  return times;
}

/**
 * The platform calls Reelay makes per item until it sees `ready`, and how late it sees it, with
 * `items` image items in flight and the emulator taking `stage-ms` per stage (queued, pending,
 * processing). Calls are counted by the emulator's request gate (reset once the asset and the
 * store exist), the delay is the `knowledge_store_item.ready` event's time minus the emulator's
 * `updated_at` of the ready item. Baseline: the SDK's habit of GETting each item every 10 s, from
 * the same run's upstream indexing times: ceil(time to ready / 10 s) GETs plus the create, and a
 * detection delay uniform in [0, 10 s).
 */
export async function benchPollingCost(options: BenchOptions): Promise<Row[]> {
  const count = sized(options.items, options, { quick: 20, normal: 100 });
  const stageMs = sized(options.stageMs, options, { quick: 10_000, normal: 20_000 });
  const mediaDir = await mkdtemp(path.join(tmpdir(), "reelay-bench-media-"));
  const stack = await startBenchStack({ env: { EMULATOR_ITEM_STAGE_MS: String(stageMs), EMULATOR_ASR: "false" } });
  try {
    const fixture = await imageStore(stack, await tinyImage(mediaDir), "bench polling");
    stack.emulator!.faults.resetStats();
    const { ids } = await addItems(stack, BENCH, fixture, count, 8);
    progress(BENCH, `${count} items added; the emulator takes ${stageMs} ms per stage`);
    await untilSettled(stack, fixture.storeId, count, 3 * stageMs + 300_000);
    const calls = stack.emulator!.faults.stats().requests;
    progress(BENCH, `platform calls: ${JSON.stringify(calls)}`);

    const times = await upstreamTimes(stack, fixture.storeId, ids);
    if (times.length < count) progress(BENCH, `only ${times.length}/${count} items ended ready; the figures cover those`);
    const gets = Object.entries(calls).reduce((sum, [operation, n]) => sum + (ITEM_GET.test(operation) ? n : 0), 0);
    const all = Object.values(calls).reduce((sum, n) => sum + n, 0);
    const sdkGets = mean(times.map((t) => Math.ceil(t.upstreamMs / SDK_POLL_MS)));
    const delays = times.map((t) => t.delayMs);
    progress(BENCH, `upstream time to ready: mean ${(mean(times.map((t) => t.upstreamMs)) / 1000).toFixed(1)} s; delay p50 ${percentile(delays, 50)} ms, p95 ${percentile(delays, 95)} ms, max ${Math.max(...delays)} ms`);
    const label = `${count} items, ${stageMs / 1000} s stages`;
    return [
      {
        bench: BENCH,
        metric: `status look-ups (item GETs and store item lists) per item until Reelay saw ready (${label})`,
        value: gets / count,
        unit: "calls",
        baseline: { label: "SDK habit, a GET every 10 s: ceil(time to ready / 10 s)", value: sdkGets },
        goal: { op: "<=", value: 0.25, on: "ratio" },
      },
      {
        bench: BENCH,
        metric: "all platform calls per item (create, look-ups, GETs)",
        value: all / count,
        unit: "calls",
        baseline: { label: "SDK habit: the create + its GETs", value: 1 + sdkGets },
      },
      {
        bench: BENCH,
        metric: "detection delay p95: ready upstream → Reelay's item ready",
        value: percentile(delays, 95),
        unit: "ms",
        baseline: { label: "SDK habit, uniform in [0, 10 s): p95", value: 0.95 * SDK_POLL_MS },
        goal: { op: "<=", value: 1, on: "ratio" },
      },
      {
        bench: BENCH,
        metric: "detection delay p50",
        value: percentile(delays, 50),
        unit: "ms",
        baseline: { label: "SDK habit: p50", value: 0.5 * SDK_POLL_MS },
      },
    ];
  } finally {
    await stack.close();
    await rm(mediaDir, { recursive: true, force: true });
  }
}
