import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startBenchStack, type BenchStack } from "./lib/bench-stack.ts";
import { indexedVideoItem } from "./lib/indexed-items.ts";
import { shortVideo } from "./lib/media.ts";
import { sized, type BenchOptions } from "./lib/options.ts";
import { countTransactions } from "./lib/pg-stats.ts";
import { reelayClient } from "./lib/reelay-client.ts";
import { percentile, progress, type Row } from "./lib/report.ts";

const BENCH = "p6 answer overhead";
const WARM_UP = 5;
const QUESTION = [{ type: "message", role: "user", content: "What happens in the video, and when?" }];

/** One synchronous POST /responses: its wall time in ms, and Reelay's job id when it answers one. */
async function ask(url: string, headers: Record<string, string>, storeId: string): Promise<{ ms: number; jobId: string | null }> {
  const started = performance.now();
  const response = await fetch(url, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ knowledge_store_id: storeId, input: QUESTION }) });
  const body = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`POST ${url}: ${response.status} ${body.slice(0, 300)}`);
  return { ms, jobId: response.headers.get("x-job-id") };
}

/**
 * Where Reelay's time goes, from its job rows (millisecond timestamps): waiting for the worker
 * (row created → first run), the worker's step (first run → answer committed), and the rest
 * (accepting the request before the row, waking the waiting request after the commit, answering).
 */
async function breakdown(stack: BenchStack, asks: Array<{ ms: number; jobId: string | null }>) {
  const jobs = await stack.prisma.job.findMany({ where: { id: { in: asks.flatMap((a) => (a.jobId ? [a.jobId] : [])) } } });
  const byId = new Map(jobs.map((job) => [job.id, job]));
  const parts = asks.flatMap(({ ms, jobId }) => {
    const job = jobId ? byId.get(jobId) : undefined;
    if (!job?.startedAt || !job.finishedAt) return [];
    const pickup = job.startedAt.getTime() - job.createdAt.getTime();
    const step = job.finishedAt.getTime() - job.startedAt.getTime();
    return [{ pickup, step, rest: ms - pickup - step }];
  });
  return {
    pickup: percentile(parts.map((p) => p.pickup), 50),
    step: percentile(parts.map((p) => p.step), 50),
    rest: percentile(parts.map((p) => p.rest), 50),
  };
}

/**
 * What Reelay adds to a synchronous answer: the same question about the same indexed store, asked
 * N times through Reelay (`POST /v1.3/responses`: a row, a job, the worker asks the platform,
 * the answer is mapped, stored and the waiting request woken) and N times of the emulator
 * directly with the store's upstream id. Asks alternate, one at a time, after a warm-up each way.
 */
export async function benchAnswerOverhead(options: BenchOptions): Promise<Row[]> {
  const asks = sized(options.asks, options, { quick: 20, normal: 50 });
  const mediaDir = await mkdtemp(path.join(tmpdir(), "reelay-bench-media-"));
  const stack = await startBenchStack({ env: { EMULATOR_ASR: "false" } });
  try {
    const client = reelayClient(stack);
    const { storeId } = await indexedVideoItem(stack, await shortVideo(mediaDir), "bench answers");
    const { upstreamId } = await stack.prisma.knowledgeStore.findUniqueOrThrow({ where: { id: storeId }, select: { upstreamId: true } });
    if (!upstreamId) throw new Error(`store ${storeId} has no upstream id`);
    progress(BENCH, `store ${storeId} (upstream ${upstreamId}) indexed; ${asks} asks each way`);

    const throughReelay = () => ask(`${stack.base}/responses`, client.headers, storeId);
    const direct = () => ask(`${stack.platformUrl}/responses`, { "x-api-key": "bench" }, upstreamId);
    for (let i = 0; i < WARM_UP; i++) {
      await throughReelay();
      await direct();
    }
    const reelayAsks: Array<{ ms: number; jobId: string | null }> = [];
    const directMs: number[] = [];
    const { transactions } = await countTransactions(stack.workerConfig.DATABASE_URL, async () => {
      for (let i = 0; i < asks; i++) {
        reelayAsks.push(await throughReelay());
        directMs.push((await direct()).ms);
      }
    });
    const reelayMs = reelayAsks.map((a) => a.ms);
    const parts = await breakdown(stack, reelayAsks);
    const [r50, r95, d50, d95] = [percentile(reelayMs, 50), percentile(reelayMs, 95), percentile(directMs, 50), percentile(directMs, 95)];
    progress(BENCH, `reelay p50 ${r50.toFixed(1)} ms p95 ${r95.toFixed(1)} ms max ${Math.max(...reelayMs).toFixed(1)} ms; emulator p50 ${d50.toFixed(1)} ms p95 ${d95.toFixed(1)} ms`);
    return [
      { bench: BENCH, metric: `POST /responses through Reelay, p50 of ${asks} sequential asks`, value: r50, unit: "ms", baseline: { label: "the emulator asked directly, p50", value: d50 } },
      { bench: BENCH, metric: `POST /responses through Reelay, p95 of ${asks} sequential asks`, value: r95, unit: "ms", baseline: { label: "the emulator asked directly, p95", value: d95 } },
      { bench: BENCH, metric: "added by Reelay at p50 (Reelay p50 − emulator p50)", value: r50 - d50, unit: "ms", goal: { op: "<", value: 20 } },
      { bench: BENCH, metric: "Postgres transactions per ask through Reelay (pg_stat_database; API, worker and relay)", value: transactions / asks, unit: "tx" },
      { bench: BENCH, metric: "of Reelay's time, p50: job row written → the worker starts it", value: parts.pickup, unit: "ms" },
      { bench: BENCH, metric: "of Reelay's time, p50: the worker's step (platform call included) → answer committed", value: parts.step, unit: "ms" },
      { bench: BENCH, metric: "of Reelay's time, p50: the rest (accept before the row, wake-up after the commit, answer)", value: parts.rest, unit: "ms" },
    ];
  } finally {
    await stack.close();
    await rm(mediaDir, { recursive: true, force: true });
  }
}
