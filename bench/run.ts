// `npm run bench [-- names...] [flags]`, e.g. `npm run bench -- p2 p6 --quick`: starts what each
// benchmark needs on loopback (its own database, dropped after), measures, and prints one table,
// every figure beside a baseline measured in the same run. Progress goes to stderr; stdout
// carries only the table (or JSON; `npm run -s bench` keeps npm's banner off stdout too). Flags
// apply to every benchmark named.
//
// Benchmarks (all of them when none is named):
//   webhooks  webhook delivery throughput and delay
//   p1        polling cost: platform calls per item and detection delay vs the SDK's 10 s polling
//   p2        status reads: GET item / GET job throughput and p99 vs an Express 5 hello world
//   p3        scale: many items in flight on one worker (RSS, poll lateness, reconciler pass)
//   p5        uploads: direct upload through the API vs a raw loopback copy; API RSS growth
//   p6        answer overhead: POST /responses through Reelay vs the emulator asked directly
//
// Flags:
//   --json           JSON ({ machine, options, load, rows }) instead of the Markdown table
//   --quick          smaller sizes: p2 5 s runs, p5 50 MB, p6 20 asks, p1 20 items, p3 200 items
//                    observed for 30 s (60 s otherwise)
//   --full           the sizes the goals are stated for: p5 1 GB (1000 MB), p3 10 000 items
//   --items N        items in flight (p1 default 100, quick 20; p3 default 1000, quick 200, full 10000)
//   --stage-ms MS    the emulator's time per item stage (p1 default 20000, quick 10000; p3 120000,
//                    full 300000: long enough that p3's items stay in flight while observed)
//   --size-mb MB     upload size in MB of 10^6 bytes (p5 default 200)
//   --duration S     seconds per load run (p2 default 10)
//   --asks N         sequential questions each way (p6 default 50)
//
// BENCH_CPU_PROF_DIR=dir in the environment writes a V8 CPU profile of the process that runs the
// services (open it in Chrome's DevTools) into dir.
import { fork } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { benchAnswerOverhead } from "./answer-overhead.ts";
import type { BenchOptions } from "./lib/options.ts";
import { renderTable, type Row } from "./lib/report.ts";
import { benchPollingCost } from "./polling-cost.ts";
import { benchScale } from "./scale.ts";
import { benchStatusReads } from "./status-reads.ts";
import { benchUploads } from "./uploads.ts";
import { benchWebhooks } from "./webhooks.ts";

const benches: Record<string, (options: BenchOptions) => Promise<Row[]>> = {
  webhooks: () => benchWebhooks(),
  p1: benchPollingCost,
  p2: benchStatusReads,
  p3: benchScale,
  p5: benchUploads,
  p6: benchAnswerOverhead,
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: "boolean" },
    quick: { type: "boolean" },
    full: { type: "boolean" },
    items: { type: "string" },
    "stage-ms": { type: "string" },
    "size-mb": { type: "string" },
    duration: { type: "string" },
    asks: { type: "string" },
  },
});

function count(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`--${flag} must be a positive number, got ${raw}`);
    process.exit(2);
  }
  return value;
}

const options: BenchOptions = {
  quick: values.quick ?? false,
  full: values.full ?? false,
  items: count("items", values.items),
  stageMs: count("stage-ms", values["stage-ms"]),
  sizeMb: count("size-mb", values["size-mb"]),
  durationS: count("duration", values.duration),
  asks: count("asks", values.asks),
};

const chosen = positionals.length ? positionals : Object.keys(benches);
const unknown = chosen.filter((name) => !benches[name]);
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(", ")}; known: ${Object.keys(benches).join(", ")}`);
  process.exit(2);
}
interface Outcome {
  rows: Row[];
  /** The 1-minute load average before and after each benchmark. */
  load: Record<string, { before: number; after: number }>;
}

async function runBenches(): Promise<Outcome> {
  const outcome: Outcome = { rows: [], load: {} };
  for (const name of chosen) {
    // The machine is shared: a load average well above the core count (this run itself keeps
    // about two cores busy) means the figures were disturbed.
    const before = loadavg()[0]!;
    console.error(`[bench] ${name}… (load average ${before.toFixed(2)} on ${cpus().length} cores)`);
    outcome.rows.push(...(await benches[name]!(options)));
    outcome.load[name] = { before, after: loadavg()[0]! };
    console.error(`[bench] ${name} done (load average ${outcome.load[name].after.toFixed(2)})`);
  }
  return outcome;
}

/**
 * Runs the benchmarks in a child process whose stdout is this process's stderr: the services
 * started in-process log to stdout (pino writes to fd 1 directly, past any patch of
 * process.stdout), and stdout must carry the table alone.
 */
function runInChild(): Promise<Outcome> {
  const child = fork(fileURLToPath(import.meta.url), process.argv.slice(2), {
    // BENCH_CPU_PROF_DIR=dir writes a V8 CPU profile of the services under load there.
    execArgv: ["--import", "tsx", ...(process.env.BENCH_CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [])],
    stdio: ["ignore", 2, 2, "ipc"],
    env: { ...process.env, [CHILD]: "1" },
  });
  return new Promise((resolve, reject) => {
    let outcome: Outcome | undefined;
    child.on("message", (message: Outcome) => (outcome = message));
    child.on("exit", (code) => (outcome && code === 0 ? resolve(outcome) : reject(new Error(`the benchmarks exited with ${code}`))));
  });
}

const CHILD = "REELAY_BENCH_CHILD";
if (process.env[CHILD] === "1") {
  const outcome = await runBenches();
  process.send!(outcome, () => process.exit(0));
} else {
  try {
    const { rows, load } = await runInChild();
    process.stdout.write(`${values.json ? JSON.stringify({ machine: { cpus: cpus().length, node: process.version }, options, load, rows }, null, 2) : renderTable(rows)}\n`);
    process.exit(0);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
