import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningEmulator } from "../start-emulator.ts";
import { pollUntil, rawClient, serveSampleMedia, startTestEmulator } from "../testing/emulator-fixtures.ts";

/** Small chunks, so the 80 kB sample video spans several. */
const CHUNK = 16 * 1024;

describe("/v1.3/assets/multipart-uploads", () => {
  let emulator: RunningEmulator;
  let api: ReturnType<typeof rawClient>;
  let video: Buffer;

  beforeAll(async () => {
    emulator = await startTestEmulator({ multipartChunkBytes: CHUNK });
    const { files, samplePath } = await serveSampleMedia();
    await files.close();
    video = await readFile(samplePath);
    api = rawClient(emulator.url);
  });
  afterAll(() => emulator?.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  const chunkCount = () => Math.ceil(video.length / CHUNK);
  const chunkOf = (index: number) => video.subarray((index - 1) * CHUNK, index * CHUNK);
  const md5 = (bytes: Buffer) => createHash("md5").update(bytes).digest("hex");
  const create = (body: Record<string, unknown> = {}) => api("POST", "/assets/multipart-uploads", { filename: "big.mp4", type: "video", total_size: video.length, ...body });
  const put = (url: string, bytes: Buffer) => fetch(url, { method: "PUT", body: bytes, headers: { "content-type": "application/octet-stream" } });
  const report = (uploadId: string, chunks: Array<{ index: number; proof: string; size?: number }>) =>
    api("POST", `/assets/multipart-uploads/${uploadId}`, {
      completed_chunks: chunks.map((c) => ({ chunk_index: c.index, proof: c.proof, proof_type: "etag", chunk_size: c.size ?? chunkOf(c.index).length })),
    });
  const urlsOf = (body: { upload_urls: Array<{ chunk_index: number; url: string }> }) => new Map(body.upload_urls.map((u) => [u.chunk_index, u.url]));

  describe("POST (create a session)", () => {
    it("answers 201 with the chunk layout and 1-based URLs, and reserves a processing asset", async () => {
      const res = await create({ user_metadata: { source: "multipart" }, enable_thumbnail: true });
      expect(res.status).toBe(201);
      expect(res.json).toEqual({
        upload_id: expect.stringMatching(/^[0-9a-f]{24}$/),
        asset_id: expect.stringMatching(/^[0-9a-f]{24}$/),
        upload_urls: expect.any(Array),
        upload_headers: {},
        chunk_size: CHUNK,
        total_chunks: chunkCount(),
        expires_at: expect.any(String),
      });
      expect(res.json.upload_urls.map((u: { chunk_index: number }) => u.chunk_index)).toEqual([1, 2, 3, 4, 5]);
      expect(Date.parse(res.json.expires_at) - Date.now()).toBeGreaterThan(23.9 * 3600_000);
      const asset = await api("GET", `/assets/${res.json.asset_id}`);
      expect(asset.json).toMatchObject({ method: "multipart", status: "processing", filename: "big.mp4", user_metadata: { source: "multipart" }, thumbnail: { status: "pending" } });
    });

    it("when a field is missing or out of range > answers 400 naming it", async () => {
      const missing = await api("POST", "/assets/multipart-uploads", { type: "video", total_size: 10 });
      expect(missing.json).toEqual({ code: "parameter_not_provided", message: "The filename parameter is required." });
      expect((await create({ type: "document" })).json.message).toContain("type");
      expect((await create({ total_size: 0 })).json.message).toContain("total_size");
      const tooBigImage = await create({ type: "image", total_size: 33 * 1024 ** 2 });
      expect(tooBigImage.status).toBe(400);
      expect(tooBigImage.json.message).toContain("at most");
    });
  });

  describe("PUT to a chunk URL", () => {
    it("stores the bytes and answers the quoted MD5 as ETag; the URL then refuses a second use (403)", async () => {
      const session = (await create()).json;
      const url = urlsOf(session).get(1)!;
      const res = await put(url, chunkOf(1));
      expect(res.status).toBe(200);
      expect(res.headers.get("etag")).toBe(`"${md5(chunkOf(1))}"`);
      const again = await put(url, chunkOf(1));
      expect(again.status).toBe(403);
      expect(await again.json()).toEqual({ code: "forbidden", message: expect.stringContaining("already used") });
    });

    it("when the token is wrong or for another chunk > 403; when the size is not the chunk's > 400", async () => {
      const session = (await create()).json;
      const url = new URL(urlsOf(session).get(2)!);
      const wrongToken = new URL(url);
      wrongToken.searchParams.set("token", "forged");
      expect((await put(wrongToken.toString(), chunkOf(2))).status).toBe(403);
      const otherChunk = new URL(url);
      otherChunk.pathname = otherChunk.pathname.replace(/\/2$/, "/3");
      expect((await put(otherChunk.toString(), chunkOf(3))).status).toBe(403);
      const short = await put(url.toString(), chunkOf(2).subarray(1));
      expect(short.status).toBe(400);
      expect(((await short.json()) as { message: string }).message).toBe(`Chunk 2 must be exactly ${CHUNK} bytes; ${CHUNK - 1} were sent.`);
      // A refused PUT does not use the URL up.
      expect((await put(url.toString(), chunkOf(2))).status).toBe(200);
    });
  });

  describe("the whole flow", () => {
    it("reports chunks in batches and any order, ignores duplicates, then completes and processes the asset like a direct upload", async () => {
      const session = (await create({ filename: "assembled.mp4" })).json;
      const urls = urlsOf(session);
      const etags = new Map<number, string>();
      for (const index of [3, 1, 5, 2, 4]) etags.set(index, (await put(urls.get(index)!, chunkOf(index))).headers.get("etag")!);

      const first = await report(session.upload_id, [3, 1].map((index) => ({ index, proof: etags.get(index)! })));
      expect(first.json).toEqual({ asset_id: session.asset_id, processed_chunks: 2, duplicate_chunks: 0, total_completed: 2 });
      const partial = await api("GET", `/assets/multipart-uploads/${session.upload_id}`);
      expect(partial.json).toMatchObject({ status: "active", chunks_completed: 2, chunks_failed: 0, chunks_pending: 3, uploaded_size: 2 * CHUNK, total_size: video.length });

      // Quotes are optional in the proof, as the SDK strips them.
      const rest = await report(session.upload_id, [1, 5, 2, 4, 4].map((index) => ({ index, proof: etags.get(index)!.replace(/"/g, "") })));
      expect(rest.json).toEqual({
        url: `${emulator.url}/assets/${session.asset_id}`,
        asset_id: session.asset_id,
        processed_chunks: 3,
        duplicate_chunks: 2,
        total_completed: 5,
      });
      const done = await api("GET", `/assets/multipart-uploads/${session.upload_id}`);
      expect(done.json).toMatchObject({ status: "completed", chunks_completed: 5, chunks_pending: 0, uploaded_size: video.length });

      const asset = await pollUntil(() => api("GET", `/assets/${session.asset_id}`), (r) => r.json.status !== "processing");
      expect(asset.json).toMatchObject({ status: "ready", method: "multipart", filename: "assembled.mp4", file_type: "video/mp4", size: video.length, duration: 9 });
      // A completed session accepts the same report again, as duplicates.
      expect((await report(session.upload_id, [{ index: 1, proof: etags.get(1)! }])).json).toMatchObject({ processed_chunks: 0, duplicate_chunks: 1, url: expect.any(String) });
    });

    it("a chunk reported with the wrong proof, or never uploaded, turns failed; a fresh URL and upload repair it", async () => {
      const session = (await create()).json;
      const urls = urlsOf(session);
      await put(urls.get(1)!, chunkOf(1));
      const res = await report(session.upload_id, [
        { index: 1, proof: "0".repeat(32) },
        { index: 2, proof: md5(chunkOf(2)) },
      ]);
      expect(res.json).toMatchObject({ processed_chunks: 0, duplicate_chunks: 0, total_completed: 0 });
      const status = await api("GET", `/assets/multipart-uploads/${session.upload_id}?page_limit=2`);
      expect(status.json.uploaded_chunks).toEqual([
        { index: 1, status: "failed", uploaded_at: null, updated_at: expect.any(String), error: "the reported proof is not the ETag of the bytes received" },
        { index: 2, status: "failed", uploaded_at: null, updated_at: expect.any(String), error: "no bytes were received for this chunk" },
      ]);
      expect(status.json).toMatchObject({ chunks_failed: 2, chunks_pending: chunkCount() - 2 });

      const fresh = await api("POST", `/assets/multipart-uploads/${session.upload_id}/presigned-urls`, { start: 1, count: 2 });
      expect(fresh.json).toMatchObject({ upload_id: session.upload_id, start_index: 1, count: 2, generated_at: expect.any(String), expires_at: expect.any(String) });
      const etag = (await put(urlsOf(fresh.json).get(2)!, chunkOf(2))).headers.get("etag")!;
      expect((await report(session.upload_id, [{ index: 2, proof: etag }])).json.processed_chunks).toBe(1);
      const repaired = await api("GET", `/assets/multipart-uploads/${session.upload_id}?page=1&page_limit=2`);
      expect(repaired.json.uploaded_chunks[1]).toMatchObject({ index: 2, status: "completed", uploaded_at: expect.any(String) });
    });

    it("when a reported index or size does not fit the session > answers 400 and changes nothing", async () => {
      const session = (await create()).json;
      const etag = (await put(urlsOf(session).get(1)!, chunkOf(1))).headers.get("etag")!;
      const outside = await report(session.upload_id, [{ index: 1, proof: etag }, { index: 99, proof: etag, size: CHUNK }]);
      expect(outside.status).toBe(400);
      expect(outside.json.message).toBe(`The completed_chunks.1.chunk_index parameter is invalid: this upload has chunks 1 to ${chunkCount()}.`);
      const wrongSize = await report(session.upload_id, [{ index: 1, proof: etag, size: 5 }]);
      expect(wrongSize.json.message).toContain("completed_chunks.0.chunk_size");
      expect((await report(session.upload_id, [{ index: 0, proof: etag }])).status).toBe(400);
      expect((await api("GET", `/assets/multipart-uploads/${session.upload_id}`)).json.chunks_completed).toBe(0);
    });
  });

  describe("GET status, POST presigned-urls, GET list", () => {
    it("pages the chunk list (every chunk, pending ones too) and returns [] past the end", async () => {
      const session = (await create()).json;
      const page2 = await api("GET", `/assets/multipart-uploads/${session.upload_id}?page=2&page_limit=2`);
      expect(page2.json.uploaded_chunks.map((c: { index: number }) => c.index)).toEqual([3, 4]);
      expect(page2.json.page_info).toEqual({ limit_per_page: 2, page: 2, total_page: 3, total_results: chunkCount() });
      expect((await api("GET", `/assets/multipart-uploads/${session.upload_id}?page=4&page_limit=2`)).json.uploaded_chunks).toEqual([]);
      expect((await api("GET", "/assets/multipart-uploads/000000000000000000000000")).status).toBe(404);
    });

    it("issues URLs only inside the session's chunks, at most 50 at a time", async () => {
      const session = (await create()).json;
      const past = await api("POST", `/assets/multipart-uploads/${session.upload_id}/presigned-urls`, { start: 4, count: 3 });
      expect(past.status).toBe(400);
      expect(past.json.message).toContain("count");
      expect((await api("POST", `/assets/multipart-uploads/${session.upload_id}/presigned-urls`, { start: 1, count: 51 })).status).toBe(400);
      expect((await api("POST", `/assets/multipart-uploads/${session.upload_id}/presigned-urls`, { start: 0, count: 1 })).status).toBe(400);
    });

    it("lists sessions not completed, newest first", async () => {
      const isolated = await startTestEmulator({ multipartChunkBytes: CHUNK });
      try {
        const local = rawClient(isolated.url);
        const open = (await local("POST", "/assets/multipart-uploads", { filename: "a.mp4", type: "video", total_size: 40_000 })).json;
        const finished = (await local("POST", "/assets/multipart-uploads", { filename: "b.mp4", type: "video", total_size: 10 })).json;
        const etag = (await put(urlsOf(finished).get(1)!, Buffer.alloc(10))).headers.get("etag")!;
        await local("POST", `/assets/multipart-uploads/${finished.upload_id}`, { completed_chunks: [{ chunk_index: 1, proof: etag, proof_type: "etag", chunk_size: 10 }] });
        const list = await local("GET", "/assets/multipart-uploads");
        expect(list.json).toEqual({
          data: [{ upload_id: open.upload_id, status: "active", total_size: 40_000, chunk_size: CHUNK, total_chunks: 3, created_at: expect.any(String), expires_at: open.expires_at }],
          page_info: { limit_per_page: 10, page: 1, total_page: 1, total_results: 1 },
        });
      } finally {
        await isolated.close();
      }
    });
  });

  describe("sessions that end without completing", () => {
    it("after 24 hours > the session is expired, refuses chunks, and its asset failed", async () => {
      const session = (await create()).json;
      const url = urlsOf(session).get(1)!;
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() + 24 * 3600_000 + 1000);

      expect((await api("GET", `/assets/multipart-uploads/${session.upload_id}`)).json.status).toBe("expired");
      expect((await put(url, chunkOf(1))).status).toBe(403);
      const late = await report(session.upload_id, [{ index: 1, proof: md5(chunkOf(1)) }]);
      expect(late.status).toBe(400);
      expect(late.json.message).toContain("expired");
      expect((await api("POST", `/assets/multipart-uploads/${session.upload_id}/presigned-urls`, { start: 1, count: 1 })).status).toBe(400);
      expect((await api("GET", `/assets/${session.asset_id}`)).json).toMatchObject({ status: "failed", error: { message: expect.stringContaining("expired") } });
      const listed = (await api("GET", "/assets/multipart-uploads?page_limit=50")).json.data.find((u: { upload_id: string }) => u.upload_id === session.upload_id);
      expect(listed.status).toBe("expired");
    });

    it("a chunk URL older than one hour > 403, while the session still takes fresh URLs", async () => {
      const session = (await create()).json;
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() + 3600_000 + 1000);
      const stale = await put(urlsOf(session).get(1)!, chunkOf(1));
      expect(stale.status).toBe(403);
      expect(((await stale.json()) as { message: string }).message).toContain("expired");
      const fresh = await api("POST", `/assets/multipart-uploads/${session.upload_id}/presigned-urls`, { start: 1, count: 1 });
      expect((await put(urlsOf(fresh.json).get(1)!, chunkOf(1))).status).toBe(200);
    });

    it("when the reserved asset is deleted > the session fails", async () => {
      const session = (await create()).json;
      expect((await api("DELETE", `/assets/${session.asset_id}`)).status).toBe(204);
      expect((await api("GET", `/assets/multipart-uploads/${session.upload_id}`)).json.status).toBe("failed");
      expect((await put(urlsOf(session).get(1)!, chunkOf(1))).status).toBe(403);
    });

    it("when the file is not the declared type > the asset fails saying so", async () => {
      const session = (await create({ type: "image", filename: "not-an-image.png" })).json;
      const urls = urlsOf(session);
      const chunks = [];
      for (let index = 1; index <= chunkCount(); index += 1) chunks.push({ index, proof: (await put(urls.get(index)!, chunkOf(index))).headers.get("etag")! });
      await report(session.upload_id, chunks);
      const asset = await pollUntil(() => api("GET", `/assets/${session.asset_id}`), (r) => r.json.status !== "processing");
      expect(asset.json).toMatchObject({ status: "failed", error: { message: "the file is a video file, but the upload declared type image" } });
    });
  });
});
