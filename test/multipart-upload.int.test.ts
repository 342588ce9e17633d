import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MultipartUploadWrapper, TwelvelabsApiClient } from "twelvelabs-js";
import { makeSampleVideo } from "@reelay/sample-media";
import { LONG_VIDEO_SECONDS, makeLongVideo } from "./support/long-video.ts";
import { pollUntil, readJson, startTestStack, type TestStack } from "./support/stack.ts";

const mediaDir = path.resolve(".data/test-media");
/** Reelay's chunks for clients, the platform's (the emulator's) for the worker, and the direct limit: all lowered so a 2.6 MB file spans many. */
const API_CHUNK = 256 * 1024;
const PLATFORM_CHUNK = 128 * 1024;
const DIRECT_LIMIT = 1024 * 1024;

let stack: TestStack;
let longPath: string;
let long: Buffer;
let small: Buffer;

beforeAll(async () => {
  longPath = await makeLongVideo(mediaDir);
  long = await readFile(longPath);
  small = await readFile(await makeSampleVideo(mediaDir));
  stack = await startTestStack({
    // A short call time-out: how long a create whose answer was lost may still be in flight.
    env: { MULTIPART_CHUNK_BYTES: String(API_CHUNK), DIRECT_UPLOAD_MAX_BYTES: String(DIRECT_LIMIT), UPSTREAM_TIMEOUT_S: "3" },
    emulator: { multipartChunkBytes: PLATFORM_CHUNK },
  });
}, 120_000);
afterAll(async () => stack?.close());

const assetOf = (apiKey: string, id: string) => readJson(fetch(`${stack.base}/assets/${id}`, { headers: { "x-api-key": apiKey } }));
const settled = (apiKey: string, id: string) => pollUntil(() => assetOf(apiKey, id), (a) => a.status !== "processing", { timeoutMs: 60_000 });
const platformCalls = () => stack.emulator!.faults.stats().requests;

describe("multipart uploads through Reelay", () => {
  it("the official SDK's uploadFile sends a file in Reelay's chunks; the worker sends it on by the platform's multipart flow; the asset ends ready", async () => {
    expect(long.length).toBeGreaterThan(DIRECT_LIMIT);
    const { apiKey } = await stack.newTenant();
    stack.emulator!.faults.resetStats();
    const uploader = new MultipartUploadWrapper({ apiKey, environment: stack.base });
    const quiet = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const progress: number[] = [];
    let result: Awaited<ReturnType<MultipartUploadWrapper["uploadFile"]>>;
    try {
      result = await uploader.uploadFile(longPath, { filename: "long.mp4", batchSize: 4, progressCallback: (p) => progress.push(p.completedChunks) });
    } finally {
      quiet.mockRestore();
    }
    const chunks = Math.ceil(long.length / API_CHUNK);
    expect(result.assetUrl).toBe(`${stack.base}/assets/${result.assetId}`);
    expect(progress.at(-1)).toBe(chunks);

    const { last } = await settled(apiKey, result.assetId);
    expect(last).toMatchObject({ _id: result.assetId, method: "multipart", status: "ready", filename: "long.mp4", file_type: "video/mp4", size: long.length });
    expect(last.duration).toBeCloseTo(LONG_VIDEO_SECONDS, 0);

    // The platform got the file by its own multipart flow, in its own (smaller) chunks, reported in batches of ten.
    const upstreamChunks = Math.ceil(long.length / PLATFORM_CHUNK);
    expect(platformCalls()).toMatchObject({
      "POST /assets/multipart-uploads": 1,
      "POST /assets/multipart-uploads/:upload_id": Math.ceil(upstreamChunks / 10),
    });
    expect(platformCalls()["POST /assets"]).toBeUndefined();
    const row = await stack.prisma.asset.findUniqueOrThrow({ where: { id: result.assetId } });
    expect(row.upstreamUpload).toMatchObject({ total_chunks: upstreamChunks, reported: upstreamChunks, sending: null });
    // Nothing is left on disk: the chunks were joined, the joined file sent and dropped.
    expect(await readdir(path.join(stack.blobDir, "multipart")).catch(() => [])).toEqual([]);
    expect((await readdir(stack.blobDir)).filter((name) => name !== "multipart")).toEqual([]);
  }, 120_000);

  it("a direct upload above the direct limit goes to the platform in chunks too; one within it stays a direct upload", async () => {
    const { apiKey } = await stack.newTenant();
    const upload = async (bytes: Buffer, name: string) => {
      const form = new FormData();
      form.set("method", "direct");
      form.set("file", new Blob([bytes], { type: "video/mp4" }), name);
      return readJson(fetch(`${stack.base}/assets`, { method: "POST", headers: { "x-api-key": apiKey }, body: form }));
    };
    stack.emulator!.faults.resetStats();
    const big = await upload(long, "big.mp4");
    expect((await settled(apiKey, big._id)).last).toMatchObject({ method: "direct", status: "ready", size: long.length });
    expect(platformCalls()).toMatchObject({ "POST /assets/multipart-uploads": 1 });
    expect(platformCalls()["POST /assets"]).toBeUndefined();

    stack.emulator!.faults.resetStats();
    const little = await upload(small, "little.mp4");
    expect((await settled(apiKey, little._id)).last).toMatchObject({ method: "direct", status: "ready", size: small.length });
    expect(platformCalls()).toMatchObject({ "POST /assets": 1 });
    expect(platformCalls()["POST /assets/multipart-uploads"]).toBeUndefined();
  }, 120_000);

  it("when the platform's answer to the upload create is lost > the reserved copy it made is deleted, a new session sends the file, one copy remains", async () => {
    const { apiKey } = await stack.newTenant();
    stack.emulator!.faults.resetStats();
    stack.emulator!.faults.set({ rules: [{ kind: "lost_answer", match: { method: "POST", path: "/assets/multipart-uploads" }, count: 1 }] });
    try {
      const form = new FormData();
      form.set("method", "direct");
      form.set("file", new Blob([long], { type: "video/mp4" }), "lost.mp4");
      const asset = await readJson(fetch(`${stack.base}/assets`, { method: "POST", headers: { "x-api-key": apiKey }, body: form }));
      expect((await settled(apiKey, asset._id)).last).toMatchObject({ status: "ready", size: long.length });
      expect(platformCalls()).toMatchObject({ "POST /assets/multipart-uploads": 2, "DELETE /assets/:asset_id": 1 });
      const platform = new TwelvelabsApiClient({ apiKey: "test", environment: stack.platformUrl });
      const copies = (await platform.assets.list({ pageLimit: 50 })).data.filter((a) => a.userMetadata?.reelay_id === asset._id);
      const row = await stack.prisma.asset.findUniqueOrThrow({ where: { id: asset._id } });
      expect(copies.map((a) => [a.id, a.status])).toEqual([[row.upstreamId, "ready"]]);
    } finally {
      stack.emulator!.faults.clear();
    }
  }, 120_000);
});
