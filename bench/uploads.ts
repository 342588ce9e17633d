import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { startBenchStack } from "./lib/bench-stack.ts";
import { runLoad, type UploadResult } from "./lib/load.ts";
import { randomFile } from "./lib/media.ts";
import { sized, type BenchOptions } from "./lib/options.ts";
import { percentile, progress, type Row } from "./lib/report.ts";
import { MB, sampleRss } from "./lib/rss.ts";

const BENCH = "p5 uploads";
const ROUNDS = 5;
const WARM_UP_BYTES = 5 * 1_000_000;
const API_DEFAULT_MAX_UPLOAD = 200 * 1024 * 1024;

/** The least a server can do with an upload: stream the request body into a file. */
async function startRawSink(dir: string) {
  let n = 0;
  const server = createServer((req, res) => {
    pipeline(req, createWriteStream(path.join(dir, `raw-${n++}`))).then(
      () => res.writeHead(201).end(),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs one upload (the client in a child process) while sampling this process's RSS every 50 ms. */
async function measured(upload: () => Promise<UploadResult>, expectStatus: number) {
  const before = process.memoryUsage.rss();
  const sampler = sampleRss({ everyMs: 50 });
  const result = await upload();
  const { peak } = await sampler.stop();
  if (result.status !== expectStatus) throw new Error(`upload answered ${result.status}: ${result.body.slice(0, 300)}`);
  return { ms: result.ms, rssGrowth: Math.max(0, peak - before) };
}

/**
 * A direct upload (`POST /v1.3/assets`, method=direct) of a generated file through the API
 * running in this process, against a raw loopback copy of the same bytes to a node http server
 * (also in this process) that streams the body to disk. The client is a child process, so this
 * process's RSS is the servers' alone. No worker runs: only the API's side is measured.
 * After a small warm-up upload each way, rounds alternate Reelay and raw; throughput is the median
 * over rounds (this machine is shared: single rounds swing by a third), RSS growth the worst round.
 */
export async function benchUploads(options: BenchOptions): Promise<Row[]> {
  const sizeMb = sized(options.sizeMb, options, { quick: 50, normal: 200, full: 1000 });
  const bytes = Math.round(sizeMb * MB);
  const dir = await mkdtemp(path.join(tmpdir(), "reelay-bench-upload-"));
  const sinkDir = path.join(dir, "sink");
  await mkdir(sinkDir);
  // MAX_UPLOAD_BYTES defaults to 200 MiB; a larger file needs a larger limit (the multipart
  // framing is a few hundred bytes).
  const maxUpload = Math.max(API_DEFAULT_MAX_UPLOAD, bytes + MB);
  const stack = await startBenchStack({ startWorker: false, env: { MAX_UPLOAD_BYTES: String(maxUpload) } });
  const sink = await startRawSink(sinkDir);
  try {
    progress(BENCH, `writing a ${sizeMb} MB file of random bytes`);
    const file = await randomFile(path.join(dir, "upload.bin"), bytes);
    const small = await randomFile(path.join(dir, "warm-up.bin"), WARM_UP_BYTES);
    const blobDir = stack.workerConfig.BLOB_DIR;
    const reelay = (filePath = file) =>
      measured(
        () =>
          runLoad({
            kind: "upload",
            url: `${stack.base}/assets`,
            headers: { "x-api-key": stack.apiKey },
            filePath,
            multipart: { fields: { method: "direct" }, fileField: "file", filename: "upload.mp4" },
          }),
        201,
      );
    const raw = (filePath = file) => measured(() => runLoad({ kind: "upload", url: sink.url, headers: {}, filePath }), 201);
    const clean = async () => {
      for (const target of [blobDir, sinkDir]) for (const name of await readdir(target)) await rm(path.join(target, name), { force: true });
    };

    const reelayRuns: Array<{ ms: number; rssGrowth: number }> = [];
    const rawRuns: Array<{ ms: number; rssGrowth: number }> = [];
    await reelay(small);
    await raw(small);
    await clean();
    // Reelay goes first: RSS rarely shrinks, so the first large upload in this process is the honest one.
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, run, into] of [["reelay", reelay, reelayRuns], ["raw", raw, rawRuns]] as const) {
        const result = await run();
        into.push(result);
        progress(BENCH, `round ${round + 1} ${name}: ${(bytes / MB / (result.ms / 1000)).toFixed(0)} MB/s, RSS +${(result.rssGrowth / MB).toFixed(1)} MB`);
        await clean();
      }
    }
    const rate = (runs: Array<{ ms: number }>) => percentile(runs.map((r) => bytes / MB / (r.ms / 1000)), 50);
    const growth = (runs: Array<{ rssGrowth: number }>) => Math.max(...runs.map((r) => r.rssGrowth)) / MB;
    const sizeLabel = sizeMb >= 1000 ? `${sizeMb / 1000} GB` : `${sizeMb} MB`;
    return [
      {
        bench: BENCH,
        metric: `direct upload through the API (multipart, ${sizeLabel}, median of ${ROUNDS})`,
        value: rate(reelayRuns),
        unit: "MB/s",
        baseline: { label: "raw loopback copy to a node server streaming to disk", value: rate(rawRuns) },
        goal: { op: ">=", value: 0.8, on: "ratio" },
      },
      {
        bench: BENCH,
        metric: `API process RSS growth, before → peak, during a ${sizeLabel} upload (worst of ${ROUNDS})${sizeMb < 1000 ? "; the goal is stated for 1 GB: run with --full" : ""}`,
        value: growth(reelayRuns),
        unit: "MB",
        baseline: { label: "raw server's RSS growth", value: growth(rawRuns) },
        goal: { op: "<", value: 50 },
      },
    ];
  } finally {
    await sink.close();
    await stack.close();
    await rm(dir, { recursive: true, force: true });
  }
}
