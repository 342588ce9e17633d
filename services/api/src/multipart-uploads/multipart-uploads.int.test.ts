import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type PrismaClient } from "@reelay/db";
import { EventHub } from "@reelay/domain";
import { bullJobId, createProducerConnection, createQueue } from "@reelay/jobs";
import { createTestDatabase } from "../../../../test/support/databases.ts";
import { createApp } from "../app.ts";
import { createApiKey } from "../tenants/api-keys.ts";
import { createChunkUrlSigner } from "./chunk-url-signer.ts";

/** Small chunks, so a few kilobytes span several; the last chunk is shorter. */
const CHUNK = 1000;
const SECRET = "a-test-secret-of-at-least-32-characters";

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let prisma: PrismaClient;
let redis: Redis;
let queue: Queue;
let blobDir: string;
let app: ReturnType<typeof createApp>;
let key: string;
let otherKey: string;
const file = randomBytes(4 * CHUNK + 500);

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrisma(database.url);
  redis = createProducerConnection(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  queue = createQueue(redis, `test-mpu-${randomBytes(4).toString("hex")}`);
  blobDir = await mkdtemp(path.join(tmpdir(), "reelay-mpu-"));
  app = createApp({
    prisma,
    queue,
    redis,
    // Webhooks are not reached from these routes; the hub is real but never started (nothing waits).
    webhookQueue: {} as never,
    hub: new EventHub({ databaseUrl: database.url }),
    config: { BLOB_DIR: blobDir, RESPONSE_TIMEOUT_MS: 1_000, JSON_BODY_LIMIT: "1mb", MAX_UPLOAD_BYTES: 1_000_000, WEBHOOK_PRIVATE_TARGETS: "none", MULTIPART_CHUNK_BYTES: CHUNK, MULTIPART_URL_SECRET: SECRET },
    log: () => {},
  });
  key = (await createApiKey(prisma, "uploader")).apiKey;
  otherKey = (await createApiKey(prisma, "someone else")).apiKey;
});
afterAll(async () => {
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
  redis?.disconnect();
  await prisma?.$disconnect();
  await database?.drop();
  await rm(blobDir, { recursive: true, force: true });
});

const chunkCount = Math.ceil(file.length / CHUNK);
const chunkOf = (index: number) => file.subarray((index - 1) * CHUNK, index * CHUNK);
const md5 = (bytes: Buffer) => createHash("md5").update(bytes).digest("hex");
const api = (method: "get" | "post", route: string, body?: object, apiKey = key) => {
  const call = request(app)[method](`/v1.3${route}`).set("x-api-key", apiKey);
  return body ? call.send(body) : call;
};
const create = (body: Record<string, unknown> = {}) => api("post", "/assets/multipart-uploads", { filename: "big.mp4", type: "video", total_size: file.length, ...body });
/** Chunk URLs are absolute (on the request's host); supertest wants the path and query. */
const local = (url: string) => {
  const parsed = new URL(url, "http://reelay.test");
  return `${parsed.pathname}${parsed.search}`;
};
const put = (url: string, bytes: Buffer) => request(app).put(local(url)).set("content-type", "application/octet-stream").send(bytes);
const urlsOf = (body: { upload_urls: Array<{ chunk_index: number; url: string }> }) => new Map(body.upload_urls.map((u) => [u.chunk_index, u.url]));
const report = (uploadId: string, chunks: Array<{ index: number; proof: string; size?: number }>) =>
  api("post", `/assets/multipart-uploads/${uploadId}`, {
    completed_chunks: chunks.map((c) => ({ chunk_index: c.index, proof: c.proof, proof_type: "etag", chunk_size: c.size ?? chunkOf(c.index).length })),
  });
/** Uploads every chunk of a session; returns their ETags by index. */
async function putAll(session: { upload_id: string; upload_urls: Array<{ chunk_index: number; url: string }> }): Promise<Map<number, string>> {
  const etags = new Map<number, string>();
  for (const [index, url] of urlsOf(session)) etags.set(index, (await put(url, chunkOf(index))).headers.etag!);
  return etags;
}

describe("POST /v1.3/assets/multipart-uploads", () => {
  it("answers 201 with the chunk layout and 1-based chunk URLs on Reelay itself, and reserves a processing multipart asset", async () => {
    const res = await create({ user_metadata: { source: "camera" } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      upload_id: expect.stringMatching(/^[0-9a-f]{24}$/),
      asset_id: expect.stringMatching(/^[0-9a-f]{24}$/),
      upload_urls: expect.any(Array),
      upload_headers: {},
      chunk_size: CHUNK,
      total_chunks: chunkCount,
      expires_at: expect.any(String),
    });
    expect(res.body.upload_urls.map((u: { chunk_index: number }) => u.chunk_index)).toEqual([1, 2, 3, 4, 5]);
    const url = new URL(res.body.upload_urls[0].url);
    expect(url.pathname).toBe(`/uploads/${res.body.upload_id}/1`);
    expect([...url.searchParams.keys()].sort()).toEqual(["expires", "sig"]);
    expect(Date.parse(res.body.upload_urls[0].expires_at) - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(Date.parse(res.body.expires_at) - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    const asset = await api("get", `/assets/${res.body.asset_id}`);
    expect(asset.body).toMatchObject({ _id: res.body.asset_id, method: "multipart", status: "processing", filename: "big.mp4", file_type: "video/mp4", user_metadata: { source: "camera" }, job_id: null });
  });

  it("when a field is missing, the type unknown or the size over the type's limit > answers 400 naming it", async () => {
    const missing = await api("post", "/assets/multipart-uploads", { type: "video", total_size: 10 });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: "parameter_not_provided", message: "The filename parameter is required." });
    expect((await create({ type: "document" })).body.message).toContain("type");
    expect((await create({ total_size: 0 })).body.message).toContain("total_size");
    const tooBigImage = await create({ type: "image", total_size: 33 * 1024 ** 2 });
    expect(tooBigImage.status).toBe(400);
    expect(tooBigImage.body).toMatchObject({ code: "parameter_invalid", message: expect.stringContaining("at most") });
  });
});

describe("PUT /uploads/{upload_id}/{chunk_index} (the chunk URL)", () => {
  it("stores the bytes as a file and answers their quoted MD5 as ETag; the same URL may be used again until the chunk is reported", async () => {
    const session = (await create()).body;
    const url = urlsOf(session).get(1)!;
    const res = await put(url, chunkOf(1));
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(`"${md5(chunkOf(1))}"`);
    const dir = path.join(blobDir, "multipart", session.upload_id);
    expect(await readdir(dir)).toEqual([`1.${md5(chunkOf(1))}`]);
    expect(await readFile(path.join(dir, `1.${md5(chunkOf(1))}`))).toEqual(chunkOf(1));
    // A retry with other bytes replaces them (the last upload wins) and leaves one file.
    const other = Buffer.alloc(CHUNK, 7);
    expect((await put(url, other)).headers.etag).toBe(`"${md5(other)}"`);
    expect(await readdir(dir)).toEqual([`1.${md5(other)}`]);
  });

  it("when the signature is tampered with, or the URL is another chunk's > 403 and nothing is stored", async () => {
    const session = (await create()).body;
    const url = new URL(urlsOf(session).get(2)!);
    const tampered = new URL(url);
    tampered.searchParams.set("sig", `${url.searchParams.get("sig")!.slice(0, -2)}AA`);
    const forged = await put(tampered.toString(), chunkOf(2));
    expect(forged.status).toBe(403);
    expect(forged.body).toMatchObject({ code: "forbidden", message: expect.stringContaining("not valid") });
    const longer = new URL(url);
    longer.searchParams.set("expires", String(Number(url.searchParams.get("expires")) + 3600));
    expect((await put(longer.toString(), chunkOf(2))).status).toBe(403);
    const otherChunk = new URL(url);
    otherChunk.pathname = otherChunk.pathname.replace(/\/2$/, "/3");
    expect((await put(otherChunk.toString(), chunkOf(3))).status).toBe(403);
    expect(await readdir(path.join(blobDir, "multipart", session.upload_id)).catch(() => [])).toEqual([]);
  });

  it("when the URL expired > 403 saying so; a fresh URL from presigned-urls works", async () => {
    const session = (await create()).body;
    const expires = Math.floor(Date.now() / 1000) - 1;
    const sig = createChunkUrlSigner(SECRET).sign({ uploadId: session.upload_id, chunkIndex: 1, expires });
    const stale = await put(`/uploads/${session.upload_id}/1?expires=${expires}&sig=${sig}`, chunkOf(1));
    expect(stale.status).toBe(403);
    expect(stale.body).toMatchObject({ code: "forbidden", message: expect.stringContaining("expired") });
    const fresh = await api("post", `/assets/multipart-uploads/${session.upload_id}/presigned-urls`, { start: 1, count: 1 });
    expect((await put(urlsOf(fresh.body).get(1)!, chunkOf(1))).status).toBe(200);
  });

  it("when the body is not the chunk's size > 400 with the sizes, and the URL still works", async () => {
    const session = (await create()).body;
    const url = urlsOf(session).get(2)!;
    const short = await put(url, chunkOf(2).subarray(1));
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ code: "parameter_invalid", message: `Chunk 2 must be exactly ${CHUNK} bytes; ${CHUNK - 1} were sent.` });
    const last = await put(urlsOf(session).get(chunkCount)!, chunkOf(1));
    expect(last.body.message).toBe(`Chunk ${chunkCount} must be exactly 500 bytes; ${CHUNK} were sent.`);
    expect((await put(url, chunkOf(2))).status).toBe(200);
  });
});

describe("POST /v1.3/assets/multipart-uploads/{upload_id} (report chunks)", () => {
  it("reports in batches and any order, ignores duplicates, then completes the session and starts the asset's ingest job", async () => {
    const session = (await create({ filename: "assembled.mp4" })).body;
    const etags = await putAll(session);

    const first = await report(session.upload_id, [3, 1].map((index) => ({ index, proof: etags.get(index)! })));
    expect(first.body).toEqual({ asset_id: session.asset_id, processed_chunks: 2, duplicate_chunks: 0, total_completed: 2 });
    const partial = await api("get", `/assets/multipart-uploads/${session.upload_id}`);
    expect(partial.body).toMatchObject({ status: "active", chunks_completed: 2, chunks_failed: 0, chunks_pending: 3, uploaded_size: 2 * CHUNK, total_size: file.length });

    // Quotes are optional in the proof, as the SDK strips them.
    const rest = await report(session.upload_id, [1, 5, 2, 4, 4].map((index) => ({ index, proof: etags.get(index)!.replace(/"/g, "") })));
    expect(rest.status).toBe(200);
    expect(rest.body).toEqual({ url: expect.stringMatching(new RegExp(`/v1\\.3/assets/${session.asset_id}$`)), asset_id: session.asset_id, processed_chunks: 3, duplicate_chunks: 2, total_completed: 5 });
    const done = await api("get", `/assets/multipart-uploads/${session.upload_id}`);
    expect(done.body).toMatchObject({ status: "completed", chunks_completed: 5, chunks_pending: 0, uploaded_size: file.length });

    // The ingest job exists, is the asset's, and was dispatched after the commit.
    const asset = (await api("get", `/assets/${session.asset_id}`)).body;
    expect(asset).toMatchObject({ status: "processing", job_id: expect.stringMatching(/^job_/) });
    const job = await prisma.job.findUniqueOrThrow({ where: { id: asset.job_id } });
    expect(job).toMatchObject({ type: "asset.ingest", resourceId: session.asset_id, status: "queued" });
    expect(await queue.getJob(bullJobId("asset.ingest", job.id))).toBeTruthy();

    // A completed session takes the same report again, as duplicates, and no more chunks.
    expect((await report(session.upload_id, [{ index: 1, proof: etags.get(1)! }])).body).toMatchObject({ processed_chunks: 0, duplicate_chunks: 1, url: expect.any(String) });
    expect((await put(urlsOf(session).get(1)!, chunkOf(1))).status).toBe(403);
  });

  it("a chunk reported with the wrong proof, or never uploaded, turns failed; uploading and reporting it again repairs it", async () => {
    const session = (await create()).body;
    await put(urlsOf(session).get(1)!, chunkOf(1));
    const res = await report(session.upload_id, [
      { index: 1, proof: "0".repeat(32) },
      { index: 2, proof: md5(chunkOf(2)) },
    ]);
    expect(res.body).toEqual({ asset_id: session.asset_id, processed_chunks: 0, duplicate_chunks: 0, total_completed: 0 });
    const status = await api("get", `/assets/multipart-uploads/${session.upload_id}?page_limit=2`);
    expect(status.body.uploaded_chunks).toEqual([
      { index: 1, status: "failed", uploaded_at: null, updated_at: expect.any(String), error: "the reported proof is not the ETag of the bytes received" },
      { index: 2, status: "failed", uploaded_at: null, updated_at: expect.any(String), error: "no bytes were received for this chunk" },
    ]);
    expect(status.body).toMatchObject({ chunks_failed: 2, chunks_pending: chunkCount - 2 });
    const etag = (await put(urlsOf(session).get(2)!, chunkOf(2))).headers.etag!;
    expect((await report(session.upload_id, [{ index: 2, proof: etag }])).body.processed_chunks).toBe(1);
    const repaired = await api("get", `/assets/multipart-uploads/${session.upload_id}?page=1&page_limit=2`);
    expect(repaired.body.uploaded_chunks[1]).toMatchObject({ index: 2, status: "completed", uploaded_at: expect.any(String) });
  });

  it("when a reported index or size does not fit the session > 400 naming the entry, and nothing changes", async () => {
    const session = (await create()).body;
    const etag = (await put(urlsOf(session).get(1)!, chunkOf(1))).headers.etag!;
    const outside = await report(session.upload_id, [{ index: 1, proof: etag }, { index: 99, proof: etag, size: CHUNK }]);
    expect(outside.status).toBe(400);
    expect(outside.body).toMatchObject({ code: "parameter_invalid", message: `The completed_chunks.1.chunk_index parameter is invalid: this upload has chunks 1 to ${chunkCount}.` });
    const wrongSize = await report(session.upload_id, [{ index: 1, proof: etag, size: 5 }]);
    expect(wrongSize.status).toBe(400);
    expect(wrongSize.body.message).toContain("completed_chunks.0.chunk_size");
    expect((await report(session.upload_id, [{ index: 0, proof: etag }])).status).toBe(400);
    const notEtag = await api("post", `/assets/multipart-uploads/${session.upload_id}`, { completed_chunks: [{ chunk_index: 1, proof: etag, proof_type: "md5", chunk_size: CHUNK }] });
    expect(notEtag.status).toBe(400);
    expect((await api("get", `/assets/multipart-uploads/${session.upload_id}`)).body.chunks_completed).toBe(0);
  });

  it("a reported chunk cannot change: a PUT to it answers 409", async () => {
    const session = (await create()).body;
    const etag = (await put(urlsOf(session).get(1)!, chunkOf(1))).headers.etag!;
    await report(session.upload_id, [{ index: 1, proof: etag }]);
    const again = await put(urlsOf(session).get(1)!, chunkOf(1));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: "chunk_already_reported" });
    expect(await readdir(path.join(blobDir, "multipart", session.upload_id))).toEqual([`1.${md5(chunkOf(1))}`]);
  });
});

describe("GET status, POST presigned-urls, GET list", () => {
  it("pages the chunk list (every chunk, pending ones too), [] past the end; another tenant's upload is a 404", async () => {
    const session = (await create()).body;
    const page2 = await api("get", `/assets/multipart-uploads/${session.upload_id}?page=2&page_limit=2`);
    expect(page2.body.uploaded_chunks.map((c: { index: number }) => c.index)).toEqual([3, 4]);
    expect(page2.body.page_info).toEqual({ limit_per_page: 2, page: 2, total_page: 3, total_results: chunkCount });
    expect((await api("get", `/assets/multipart-uploads/${session.upload_id}?page=4&page_limit=2`)).body.uploaded_chunks).toEqual([]);
    expect((await api("get", "/assets/multipart-uploads/000000000000000000000000")).status).toBe(404);
    expect((await api("get", `/assets/multipart-uploads/${session.upload_id}`, undefined, otherKey)).status).toBe(404);
  });

  it("issues URLs only inside the session's chunks, at most 50 at a time", async () => {
    const session = (await create()).body;
    const fresh = await api("post", `/assets/multipart-uploads/${session.upload_id}/presigned-urls`, { start: 4, count: 2 });
    expect(fresh.body).toMatchObject({ upload_id: session.upload_id, start_index: 4, count: 2, generated_at: expect.any(String), expires_at: expect.any(String) });
    expect(fresh.body.upload_urls.map((u: { chunk_index: number }) => u.chunk_index)).toEqual([4, 5]);
    const past = await api("post", `/assets/multipart-uploads/${session.upload_id}/presigned-urls`, { start: 4, count: 3 });
    expect(past.status).toBe(400);
    expect(past.body.message).toContain("count");
    expect((await api("post", `/assets/multipart-uploads/${session.upload_id}/presigned-urls`, { start: 1, count: 51 })).status).toBe(400);
    expect((await api("post", `/assets/multipart-uploads/${session.upload_id}/presigned-urls`, { start: 0, count: 1 })).status).toBe(400);
  });

  it("lists the tenant's sessions not completed, newest first", async () => {
    const { apiKey } = await createApiKey(prisma, "lister");
    const open = (await api("post", "/assets/multipart-uploads", { filename: "a.mp4", type: "video", total_size: 2500 }, apiKey)).body;
    const finished = (await api("post", "/assets/multipart-uploads", { filename: "b.mp4", type: "video", total_size: 10 }, apiKey)).body;
    const etag = (await put(urlsOf(finished).get(1)!, Buffer.alloc(10))).headers.etag!;
    await api("post", `/assets/multipart-uploads/${finished.upload_id}`, { completed_chunks: [{ chunk_index: 1, proof: etag, proof_type: "etag", chunk_size: 10 }] }, apiKey);
    const list = await api("get", "/assets/multipart-uploads", undefined, apiKey);
    expect(list.body).toEqual({
      data: [{ upload_id: open.upload_id, status: "active", total_size: 2500, chunk_size: CHUNK, total_chunks: 3, created_at: expect.any(String), expires_at: open.expires_at }],
      page_info: { limit_per_page: 10, page: 1, total_page: 1, total_results: 1 },
    });
  });
});

describe("a session past its 24 hours", () => {
  it("is expired: refuses chunks (403), reports and URLs (400), and its asset failed saying why", async () => {
    const session = (await create()).body;
    const url = urlsOf(session).get(1)!;
    await prisma.multipartUpload.update({ where: { id: session.upload_id }, data: { expiresAt: new Date(Date.now() - 1000) } });

    expect((await api("get", `/assets/multipart-uploads/${session.upload_id}`)).body.status).toBe("expired");
    expect((await put(url, chunkOf(1))).status).toBe(403);
    const late = await report(session.upload_id, [{ index: 1, proof: md5(chunkOf(1)) }]);
    expect(late.status).toBe(400);
    expect(late.body.message).toContain("expired");
    expect((await api("post", `/assets/multipart-uploads/${session.upload_id}/presigned-urls`, { start: 1, count: 1 })).status).toBe(400);
    expect((await api("get", `/assets/${session.asset_id}`)).body).toMatchObject({ status: "failed", error: { message: expect.stringContaining("expired") } });
    const listed = (await api("get", "/assets/multipart-uploads?page_limit=50")).body.data.find((u: { upload_id: string }) => u.upload_id === session.upload_id);
    expect(listed.status).toBe("expired");
    expect(await prisma.event.count({ where: { resourceId: session.asset_id, type: "asset.failed" } })).toBe(1);
  });
});
