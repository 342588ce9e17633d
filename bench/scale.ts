import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createProducerConnection, createQueue } from "@reelay/jobs";
import { reconcileJobs } from "@reelay/worker";
import { startBenchStack, type BenchStack } from "./lib/bench-stack.ts";
import { addItems, imageStore } from "./lib/indexed-items.ts";
import { tinyImage } from "./lib/media.ts";
import { sized, type BenchOptions } from "./lib/options.ts";
import { countTransactions } from "./lib/pg-stats.ts";
import { watchPollLateness } from "./lib/poll-lateness.ts";
import { percentile, progress, type Row } from "./lib/report.ts";
import { cpuSecondsOfPid, MB, rssOfPid, sampleRss } from "./lib/rss.ts";
import { startWorkerProcess } from "./lib/worker-process.ts";

const BENCH = "p3 scale";
const PASSES = 3;

/** Times `passes` reconciler passes (the one the worker runs every RECONCILE_INTERVAL_MS) after a warm-up; their median, ms. */
async function reconcilePass(stack: BenchStack, passes = PASSES): Promise<number> {
  const connection = createProducerConnection(stack.workerConfig.REDIS_URL);
  const queue = createQueue(connection, stack.workerConfig.QUEUE_PREFIX);
  try {
    await reconcileJobs({ prisma: stack.prisma, queue, log: () => {} }); // warm-up, discarded
    const times: number[] = [];
    for (let i = 0; i < passes; i++) {
      const started = performance.now();
      await reconcileJobs({ prisma: stack.prisma, queue, log: (line) => progress(BENCH, line) });
      times.push(performance.now() - started);
    }
    return percentile(times, 50);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/**
 * Many items in flight on one worker, run as its own process: its RSS, how late its delayed polls
 * run, and how long a reconciler pass takes over that many unfinished jobs. The items are image
 * items added through the API; the emulator's stages are long (`stage-ms`, default 120 s) so they
 * stay in flight while the worker is observed for `window` seconds after the last one was added.
 */
export async function benchScale(options: BenchOptions): Promise<Row[]> {
  const count = sized(options.items, options, { quick: 200, normal: 1_000, full: 10_000 });
  const stageMs = sized(options.stageMs, options, { quick: 120_000, normal: 120_000, full: 300_000 });
  const windowS = options.quick ? 30 : 60;
  const mediaDir = await mkdtemp(path.join(tmpdir(), "reelay-bench-media-"));
  const stack = await startBenchStack({ startWorker: false, env: { EMULATOR_ITEM_STAGE_MS: String(stageMs), EMULATOR_ASR: "false" } });
  const worker = startWorkerProcess(stack);
  const lateness = await watchPollLateness(stack.workerConfig.REDIS_URL, stack.workerConfig.QUEUE_PREFIX);
  try {
    const fixture = await imageStore(stack, await tinyImage(mediaDir), "bench scale");
    const idleRss = await rssOfPid(worker.pid);
    const idlePass = await reconcilePass(stack);
    progress(BENCH, `worker pid ${worker.pid} idle at ${(idleRss / MB).toFixed(0)} MB; adding ${count} items (${stageMs / 1000} s per stage upstream)`);

    const rss = sampleRss({ pid: worker.pid, everyMs: 500 });
    const { perSecond } = await addItems(stack, BENCH, fixture, count);
    progress(BENCH, `${count} items added at ${perSecond.toFixed(0)}/s; observing the worker for ${windowS} s`);
    stack.emulator!.faults.resetStats();
    const cpuBefore = await cpuSecondsOfPid(worker.pid);
    const windowStarted = Date.now();
    lateness.start();
    const { result: busyPass, transactions } = await countTransactions(stack.workerConfig.DATABASE_URL, async () => {
      await new Promise((resolve) => setTimeout(resolve, (windowS * 1000) / 2));
      const pass = await reconcilePass(stack);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, windowStarted + windowS * 1000 - Date.now())));
      return pass;
    });
    const late = lateness.stop();
    const calls = Object.values(stack.emulator!.faults.stats().requests).reduce((sum, n) => sum + n, 0);
    const windowSeconds = (Date.now() - windowStarted) / 1000;
    const cpuSeconds = (await cpuSecondsOfPid(worker.pid)) - cpuBefore;
    const { peak } = await rss.stop();
    const inFlight = await stack.prisma.job.count({ where: { type: "item.index", status: { in: ["queued", "running", "waiting_remote"] } } });
    const createdUpstream = await stack.prisma.knowledgeStoreItem.count({ where: { knowledgeStoreId: fixture.storeId, upstreamId: { not: null } } });
    progress(BENCH, `${inFlight} item jobs unfinished at the end, ${createdUpstream} items created upstream; ${late.length} steps run or overdue in the window; lateness p50 ${percentile(late, 50)} ms, p99 ${percentile(late, 99)} ms, max ${Math.max(...late)} ms; ${(calls / windowSeconds).toFixed(0)} platform calls/s`);

    const label = `${count} items in flight`;
    return [
      { bench: BENCH, metric: `worker RSS, peak while adding and holding ${label}`, value: peak / MB, unit: "MB", baseline: { label: "the same worker idle, before the items", value: idleRss / MB } },
      { bench: BENCH, metric: `step lateness p99 (a step's start − its due time: end of its poll delay, or enqueued; steps run or overdue in a ${windowSeconds.toFixed(0)} s window), ${label}`, value: percentile(late, 99), unit: "ms", baseline: { label: "p50 of the same", value: percentile(late, 50) } },
      { bench: BENCH, metric: `items the worker had created upstream by the end of the window (${label})`, value: createdUpstream, unit: "items", baseline: { label: "items added", value: count } },
      { bench: BENCH, metric: `reconciler pass over ${label} (median of ${PASSES})`, value: busyPass, unit: "ms", baseline: { label: "the same pass before the items", value: idlePass } },
      { bench: BENCH, metric: `platform calls/s the worker made during the window (${label})`, value: calls / windowSeconds, unit: "/s" },
      { bench: BENCH, metric: "worker CPU during the window (100 % = one core busy)", value: (100 * cpuSeconds) / windowSeconds, unit: "%" },
      { bench: BENCH, metric: "worker CPU per platform call (≈ per poll step)", value: (1000 * cpuSeconds) / calls, unit: "ms" },
      { bench: BENCH, metric: "Postgres transactions per platform call during the window (≈ per poll step)", value: transactions / calls, unit: "tx" },
      { bench: BENCH, metric: `items added through the API (16 at once)`, value: perSecond, unit: "/s" },
    ];
  } finally {
    await lateness.close();
    await worker.stop();
    await stack.close();
    await rm(mediaDir, { recursive: true, force: true });
  }
}
