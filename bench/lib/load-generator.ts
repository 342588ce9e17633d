// The client side of the HTTP benchmarks, run in a child process (see load.ts) so the load it
// generates never shares an event loop, a heap or an RSS figure with the servers it measures.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Agent, request } from "node:http";
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import { percentile } from "./report.ts";
import type { LoadResult, LoadTask, UploadResult } from "./load.ts";

/** Closed loop: `connections` clients each send the next request as soon as the last is answered. */
async function throughput(task: Extract<LoadTask, { kind: "throughput" }>): Promise<LoadResult> {
  const result = await autocannon({ url: task.url, headers: task.headers, connections: task.connections, duration: task.durationS });
  const statuses: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) statuses[status] = count ?? 0;
  return {
    requestsPerS: result.requests.total / result.duration,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    statuses,
    errors: result.errors,
  };
}

/**
 * Open loop at a fixed offered rate: request i is due at start + i / rate, whatever happened to
 * the ones before, and its latency counts from when it was due (no coordinated omission). A
 * request waiting for one of the `maxConnections` sockets is late, and that lateness counts.
 * autocannon's own `overallRate` is not used: it sends each connection's whole per-second budget
 * back to back at the start of every second, which measures bursts, not a steady rate.
 */
async function fixedRate(task: Extract<LoadTask, { kind: "fixed-rate" }>): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: task.maxConnections });
  const total = Math.round(task.ratePerS * task.durationS);
  const intervalMs = 1000 / task.ratePerS;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  let settled = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const send = (dueAt: number) => {
      const req = request(task.url, { agent, headers: task.headers }, (res) => {
        res.resume();
        res.on("end", () => {
          latencies.push(performance.now() - dueAt);
          statuses[String(res.statusCode)] = (statuses[String(res.statusCode)] ?? 0) + 1;
          if (++settled === total) resolve();
        });
      });
      req.on("error", () => {
        errors++;
        if (++settled === total) resolve();
      });
      req.end();
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && started + sent * intervalMs <= now) send(started + sent++ * intervalMs);
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  const elapsedS = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    requestsPerS: settled / elapsedS,
    latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies) },
    statuses,
    errors,
  };
}

/** One streamed upload of a file: raw (the body is the file) or as a multipart form. */
async function upload(task: Extract<LoadTask, { kind: "upload" }>): Promise<UploadResult> {
  const size = (await stat(task.filePath)).size;
  const boundary = `----reelay-bench-${randomBytes(8).toString("hex")}`;
  const form = task.multipart;
  const head = form
    ? Buffer.from(
        Object.entries(form.fields)
          .map(([name, value]) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
          .join("") +
          `--${boundary}\r\ncontent-disposition: form-data; name="${form.fileField}"; filename="${form.filename}"\r\ncontent-type: application/octet-stream\r\n\r\n`,
      )
    : Buffer.alloc(0);
  const tail = form ? Buffer.from(`\r\n--${boundary}--\r\n`) : Buffer.alloc(0);
  const headers = {
    ...task.headers,
    "content-length": String(head.length + size + tail.length),
    "content-type": form ? `multipart/form-data; boundary=${boundary}` : "application/octet-stream",
  };
  const started = performance.now();
  return new Promise<UploadResult>((resolve, reject) => {
    const req = request(task.url, { method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    req.write(head);
    const file = createReadStream(task.filePath, { highWaterMark: 1024 * 1024 });
    file.on("error", reject);
    file.on("end", () => req.end(tail));
    file.pipe(req, { end: false });
  });
}

process.on("message", (task: LoadTask) => {
  const run = task.kind === "throughput" ? throughput(task) : task.kind === "fixed-rate" ? fixedRate(task) : upload(task);
  run.then(
    (result) => process.send!({ ok: true, result }),
    (error: unknown) => process.send!({ ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
  );
});
