import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { newId } from "@reelay/contract";
import { startWorker } from "@reelay/worker";
import { startBenchStack } from "./lib/bench-stack.ts";
import { startHelloServer } from "./lib/hello-server.ts";
import { indexedVideoItem } from "./lib/indexed-items.ts";
import { describeStatuses, runLoad, type LoadResult } from "./lib/load.ts";
import { shortVideo } from "./lib/media.ts";
import { sized, type BenchOptions } from "./lib/options.ts";
import { countTransactions } from "./lib/pg-stats.ts";
import { reelayClient } from "./lib/reelay-client.ts";
import { mean, progress, type Row } from "./lib/report.ts";

const BENCH = "p2 status reads";
const CONNECTIONS = 50;
const FIXED_RATE = 1_000;

/** Unexpected answers, appended to a metric so a table full of 503s cannot pass for a fast one. */
function surprises(result: LoadResult, expected: string): string {
  const other = Object.fromEntries(Object.entries(result.statuses).filter(([status]) => status !== expected));
  const parts = [...(Object.keys(other).length ? [describeStatuses(other)] : []), ...(result.errors ? [`${result.errors} errors`] : [])];
  return parts.length ? ` (also ${parts.join(", ")})` : "";
}

const answered = (result: LoadResult) => Object.values(result.statuses).reduce((sum, n) => sum + n, 0);

/** Says so when an open loop's server fell behind the offered rate (its queue grew all run long). */
function overloaded(result: LoadResult, offered: number): string {
  return result.requestsPerS < 0.95 * offered ? `; only ${result.requestsPerS.toFixed(0)} req/s served: overloaded, p99 grows with the run's length` : "";
}

/**
 * Status reads under load: `GET /knowledge-stores/{id}/items/{id}` and `GET /jobs/{id}` of a
 * ready item, and a GET of an unknown item (authenticated 404), against an Express 5 hello world
 * in the same process. Closed loop at 50 connections for max throughput (hello world first and
 * last, their mean the baseline, their difference the drift), then an open loop at a fixed
 * 1,000 req/s for latency, and one at half each route's max throughput. The client runs in a
 * child process.
 */
export async function benchStatusReads(options: BenchOptions): Promise<Row[]> {
  const durationS = sized(options.durationS, options, { quick: 5, normal: 10 });
  const mediaDir = await mkdtemp(path.join(tmpdir(), "reelay-bench-media-"));
  const stack = await startBenchStack({ startWorker: false, env: { EMULATOR_ASR: "false" } });
  const hello = await startHelloServer();
  try {
    const client = reelayClient(stack);
    // The worker runs only to index the item; during the load the API serves alone.
    const worker = await startWorker(stack.workerConfig, () => {});
    const { storeId, itemId, jobId } = await indexedVideoItem(stack, await shortVideo(mediaDir), "bench status reads").finally(() => worker.close());
    progress(BENCH, `item ${itemId} ready; ${durationS} s per run`);

    const targets = {
      hello: { url: hello.url, headers: {} },
      item: { url: `${stack.base}/knowledge-stores/${storeId}/items/${itemId}`, headers: client.headers },
      job: { url: `${stack.base}/jobs/${jobId}`, headers: client.headers },
      missing: { url: `${stack.base}/knowledge-stores/${storeId}/items/${newId("item")}`, headers: client.headers },
    };
    const closed = async (name: keyof typeof targets, seconds = durationS) => {
      const result = await runLoad({ kind: "throughput", ...targets[name], connections: CONNECTIONS, durationS: seconds });
      progress(BENCH, `${name}, ${CONNECTIONS} connections: ${result.requestsPerS.toFixed(0)} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms (${describeStatuses(result.statuses)}, ${result.errors} errors)`);
      return result;
    };
    const open = async (name: keyof typeof targets, ratePerS = FIXED_RATE) => {
      const result = await runLoad({ kind: "fixed-rate", ...targets[name], ratePerS, durationS, maxConnections: CONNECTIONS });
      progress(BENCH, `${name}, fixed ${ratePerS.toFixed(0)} req/s: achieved ${result.requestsPerS.toFixed(0)} req/s, p50 ${result.latencyMs.p50.toFixed(1)} ms, p99 ${result.latencyMs.p99.toFixed(1)} ms, max ${result.latencyMs.max.toFixed(0)} ms (${describeStatuses(result.statuses)}, ${result.errors} errors)`);
      return result;
    };

    for (const name of ["hello", "item", "job"] as const) await closed(name, 2); // warm-up, discarded
    const helloFirst = await closed("hello");
    const { result: itemMax, transactions: itemTransactions } = await countTransactions(stack.workerConfig.DATABASE_URL, () => closed("item"));
    const jobMax = await closed("job");
    const missingMax = await closed("missing");
    const helloLast = await closed("hello");
    const helloFixed = await open("hello");
    const itemFixed = await open("item");
    const jobFixed = await open("job");
    // Above its capacity an open loop's queue only grows, and p99 measures the run's length; half
    // of the max throughput shows the latency of a load the route does sustain.
    const itemHalf = await open("item", itemMax.requestsPerS / 2);
    const jobHalf = await open("job", jobMax.requestsPerS / 2);

    const helloRate = { label: "Express 5 hello world, mean of first and last run", value: mean([helloFirst.requestsPerS, helloLast.requestsPerS]) };
    const helloP99 = { label: "hello world, mean of first and last run", value: mean([helloFirst.latencyMs.p99, helloLast.latencyMs.p99]) };
    const helloFixedP99 = { label: `hello world at ${FIXED_RATE} req/s`, value: helloFixed.latencyMs.p99 };
    const reads = [
      { name: "GET item", max: itemMax, fixed: itemFixed, half: itemHalf },
      { name: "GET job", max: jobMax, fixed: jobFixed, half: jobHalf },
    ];
    return [
      ...reads.flatMap(({ name, max, fixed, half }): Row[] => [
        { bench: BENCH, metric: `${name}: throughput, ${CONNECTIONS} connections${surprises(max, "200")}`, value: max.requestsPerS, unit: "req/s", baseline: helloRate, goal: { op: ">=", value: 0.5, on: "ratio" } },
        { bench: BENCH, metric: `${name}: p99 latency at that max throughput`, value: max.latencyMs.p99, unit: "ms", baseline: helloP99 },
        { bench: BENCH, metric: `${name}: p99 latency at a fixed ${FIXED_RATE} req/s (open loop)${overloaded(fixed, FIXED_RATE)}${surprises(fixed, "200")}`, value: fixed.latencyMs.p99, unit: "ms", baseline: helloFixedP99, goal: { op: "<", value: 25 } },
        { bench: BENCH, metric: `${name}: p99 latency at a fixed ${(max.requestsPerS / 2).toFixed(0)} req/s, half its max (open loop)${surprises(half, "200")}`, value: half.latencyMs.p99, unit: "ms", baseline: helloFixedP99 },
      ]),
      { bench: BENCH, metric: "Postgres transactions per GET item (pg_stat_database, during its max-throughput run)", value: itemTransactions / answered(itemMax), unit: "tx" },
      { bench: BENCH, metric: `GET unknown item (authenticated 404): throughput${surprises(missingMax, "404")}`, value: missingMax.requestsPerS, unit: "req/s", baseline: helloRate },
      { bench: BENCH, metric: "hello world throughput, last run vs first (drift over the runs)", value: helloLast.requestsPerS, unit: "req/s", baseline: { label: "first run", value: helloFirst.requestsPerS } },
    ];
  } finally {
    await hello.close();
    await stack.close();
    await rm(mediaDir, { recursive: true, force: true });
  }
}
