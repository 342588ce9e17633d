/**
 * A measurement run by hand (not a test): the API's resident memory while it receives a large
 * multipart upload. It starts the API alone in a child process (its own database, dropped after,
 * and queue prefix; no worker), PUTs every chunk of a file of random bytes to the chunk URLs
 * (PARALLEL at once, each body a file-backed Blob slice, so the client holds no chunk either),
 * reports them in batches of ten, and samples the child's VmRSS every 50 ms. Chunks stream to
 * disk, so the peak should stay near the idle figure whatever the file size.
 *
 *   node --import tsx services/api/src/multipart-uploads/measure-chunk-rss.ts [size MiB, default 1024] [chunk MiB, default 5]
 *
 * Needs Postgres and Redis (DATABASE_URL / REDIS_URL, defaults as everywhere) and twice the file
 * size free in the temp directory (the source file and the received chunks).
 */
import { spawn } from "node:child_process";
import { randomBytes, randomFill } from "node:crypto";
import { createWriteStream, openAsBlob } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { createPrisma, DEFAULT_DATABASE_URL } from "@reelay/db";
import { migrateDatabase } from "@reelay/db/migrate";
import { createProducerConnection, createQueue } from "@reelay/jobs";
import { createApiKey } from "../tenants/api-keys.ts";

const MiB = 1024 * 1024;
const sizeBytes = Number(process.argv[2] ?? 1024) * MiB;
const chunkBytes = Number(process.argv[3] ?? 5) * MiB;
const PARALLEL = 4;

const base = new URL(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
const databaseName = `reelay_rss_${randomBytes(4).toString("hex")}`;
const databaseUrl = Object.assign(new URL(base), { pathname: `/${databaseName}` }).toString();
const queuePrefix = `rss-${randomBytes(4).toString("hex")}`;
const work = await mkdtemp(path.join(tmpdir(), "reelay-rss-"));
const blobDir = path.join(work, "blobs");
const source = path.join(work, "source.bin");

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function randomFile(target: string, bytes: number): Promise<void> {
  const out = createWriteStream(target);
  const fill = promisify(randomFill);
  for (let written = 0; written < bytes; written += 4 * MiB) {
    if (!out.write(await fill(Buffer.allocUnsafe(Math.min(4 * MiB, bytes - written))))) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

async function rssOf(pid: number): Promise<number> {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(await readFile(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) * 1024;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

await migrateDatabase(databaseUrl);
const prisma = createPrisma(databaseUrl);
const port = await freePort();
const api = spawn(process.execPath, ["--import", "tsx", "services/api/src/main.ts"], {
  env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), BLOB_DIR: blobDir, QUEUE_PREFIX: queuePrefix, MULTIPART_CHUNK_BYTES: String(chunkBytes) },
  stdio: ["ignore", "ignore", "inherit"],
});
try {
  console.log(`writing ${mb(sizeBytes)} of random bytes...`);
  await randomFile(source, sizeBytes);
  const { apiKey } = await createApiKey(prisma, "rss");
  const origin = `http://127.0.0.1:${port}`;
  for (let ready = false; !ready; ) ready = await fetch(`${origin}/healthz`).then((r) => r.ok, () => false);
  const call = async (method: string, route: string, body: unknown) => {
    const res = await fetch(`${origin}/v1.3${route}`, { method, headers: { "x-api-key": apiKey, "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };

  const session = (await call("POST", "/assets/multipart-uploads", { filename: "big.bin", type: "video", total_size: sizeBytes })) as { upload_id: string; total_chunks: number; chunk_size: number };
  const file = await openAsBlob(source);
  const put = async (index: number, url: string) => {
    const res = await fetch(url, { method: "PUT", body: file.slice((index - 1) * session.chunk_size, Math.min(index * session.chunk_size, sizeBytes)) });
    if (!res.ok) throw new Error(`PUT chunk ${index}: ${res.status} ${await res.text()}`);
    return { chunk_index: index, proof: res.headers.get("etag")!, proof_type: "etag", chunk_size: Math.min(index * session.chunk_size, sizeBytes) - (index - 1) * session.chunk_size };
  };

  // Idle figure: the API after start-up and one small request cycle, before any chunk arrives.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const idle = await rssOf(api.pid!);
  let peak = idle;
  const sampler = setInterval(() => void rssOf(api.pid!).then((rss) => (peak = Math.max(peak, rss)), () => undefined), 50);
  const started = performance.now();
  for (let start = 1; start <= session.total_chunks; start += 50) {
    const count = Math.min(50, session.total_chunks - start + 1);
    const urls = ((await call("POST", `/assets/multipart-uploads/${session.upload_id}/presigned-urls`, { start, count })).upload_urls as Array<{ chunk_index: number; url: string }>).map((u) => [u.chunk_index, u.url] as const);
    for (let i = 0; i < urls.length; i += 10) {
      const batch = urls.slice(i, i + 10);
      const proofs = [];
      for (let j = 0; j < batch.length; j += PARALLEL) proofs.push(...(await Promise.all(batch.slice(j, j + PARALLEL).map(([index, url]) => put(index, url)))));
      await call("POST", `/assets/multipart-uploads/${session.upload_id}`, { completed_chunks: proofs });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const after = await rssOf(api.pid!);
  console.log(`file ${mb(sizeBytes)} in ${session.total_chunks} chunks of ${mb(session.chunk_size)}, ${PARALLEL} PUTs at once: ${seconds.toFixed(1)} s (${mb(sizeBytes / seconds)}/s)`);
  console.log(`API RSS: idle ${mb(idle)}, peak while streaming ${mb(peak)} (+${mb(peak - idle)}), after ${mb(after)}`);
} finally {
  api.kill("SIGTERM");
  await new Promise((resolve) => api.once("exit", resolve));
  await prisma.$disconnect();
  // The completed upload's ingest job, which no worker ran.
  const redis = createProducerConnection(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  const queue = createQueue(redis, queuePrefix);
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  redis.disconnect();
  const admin = new pg.Client({ connectionString: Object.assign(new URL(base), { pathname: "/postgres" }).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  await admin.end();
  await rm(work, { recursive: true, force: true });
}
