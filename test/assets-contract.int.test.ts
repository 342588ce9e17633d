import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { access, mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TwelvelabsApiClient } from "twelvelabs-js";
import { routeTable } from "@reelay/contract";
import { makeCorruptVideo, makeSampleVideo, serveFiles, type FileServer } from "@reelay/sample-media";
import { assetRoutes } from "../services/api/src/assets/assets-routes.ts";
import { makeSampleImage } from "../services/emulator/src/testing/sample-image.ts";
import { startReceiver } from "./support/receiver.ts";
import { routeCoverage } from "./support/route-coverage.ts";
import { pollUntil, readJson, startTestStack, type Json, type TestStack } from "./support/stack.ts";

/**
 * Every asset operation of the route table, served by the facade with the platform's behaviour:
 * over HTTP, and on the worker's side, checked on the emulator itself (the SDK pointed at the
 * platform Reelay uses). What any platform must do when the official SDK drives it is checked, on
 * Reelay and on the emulator alike, by the shared suite in test/contract/.
 */
const execFileAsync = promisify(execFile);
const mediaDir = path.resolve(".data/test-media");
let stack: TestStack;
let files: FileServer;
let platform: TwelvelabsApiClient;
let imageName: string;
const receivers: Array<{ close: () => Promise<void> }> = [];

/** A 2-second 440 Hz tone, written once. */
async function makeSampleAudio(dir: string, name = "tone.wav"): Promise<string> {
  const target = path.join(dir, name);
  if (await access(target).then(() => true, () => false)) return name;
  const partial = path.join(dir, `.${name}.${randomBytes(4).toString("hex")}.part.wav`);
  try {
    await execFileAsync("ffmpeg", ["-y", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", partial], { timeout: 30_000 });
    await rename(partial, target);
  } finally {
    await rm(partial, { force: true });
  }
  return name;
}

beforeAll(async () => {
  await mkdir(mediaDir, { recursive: true });
  await makeSampleVideo(mediaDir);
  await makeCorruptVideo(mediaDir);
  await makeSampleAudio(mediaDir);
  imageName = path.basename(await makeSampleImage(mediaDir));
  files = await serveFiles(mediaDir);
  // Speech recognition on, for transcriptions; item stages long enough to catch an item unindexed.
  stack = await startTestStack({ asr: true, itemStageMs: 1_200 });
  platform = new TwelvelabsApiClient({ apiKey: "reelay-test", environment: stack.platformUrl });
});

afterAll(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close();
  await stack?.close();
  await files?.close();
});

const terminal = new Set(["succeeded", "failed", "cancelled"]);

/** A tenant's view of Reelay over HTTP. */
function client(apiKey: string) {
  const headers = { "x-api-key": apiKey };
  const send = (method: string, p: string, body?: unknown) =>
    fetch(`${stack.base}${p}`, {
      method,
      headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const get = (p: string) => readJson(send("GET", p));
  return {
    send,
    get,
    async upload(name: string, fields: Record<string, string> = {}, url = files.url(name)): Promise<Json> {
      const form = new FormData();
      form.set("method", "url");
      form.set("url", url);
      for (const [key, value] of Object.entries(fields)) form.set(key, value);
      const res = await fetch(`${stack.base}/assets`, { method: "POST", headers, body: form });
      expect(res.status).toBe(201);
      return readJson(res);
    },
    ready: async (id: string): Promise<Json> => (await pollUntil(() => get(`/assets/${id}`), (a) => a.status !== "processing")).last,
    jobEnded: async (id: string): Promise<Json> => (await pollUntil(() => get(`/jobs/${id}`), (j) => terminal.has(j.status))).last,
    async store(name = "assets"): Promise<Json> {
      return readJson(send("POST", "/knowledge-stores", { name }));
    },
    async item(storeId: string, assetId: string, extra: Record<string, unknown> = {}): Promise<Json> {
      const res = await send("POST", `/knowledge-stores/${storeId}/items`, { asset_id: assetId, ...extra });
      expect(res.status).toBe(202);
      return readJson(res);
    },
  };
}

/** The official SDK pointed at Reelay. */
const sdkFor = (apiKey: string) => new TwelvelabsApiClient({ apiKey, environment: stack.base });

async function upstreamIdOf(assetId: string): Promise<string> {
  const row = await stack.prisma.asset.findUniqueOrThrow({ where: { id: assetId } });
  expect(row.upstreamId).toEqual(expect.any(String));
  return row.upstreamId!;
}

/** Resolves once the platform no longer has the asset. */
async function goneUpstream(upstreamId: string): Promise<void> {
  await pollUntil(
    () => platform.assets.retrieve(upstreamId).then(() => 200, (error: unknown) => (error as { statusCode?: number }).statusCode ?? 0),
    (status) => status === 404,
  );
}

/** A webhook receiver registered for the tenant, for the given event types. */
async function webhookFor(apiKey: string, events: string[]) {
  const receiver = await startReceiver();
  receivers.push(receiver);
  const res = await client(apiKey).send("POST", "/webhooks", { url: receiver.url, events });
  expect(res.status).toBe(201);
  return receiver;
}

const eventsOf = (assetId: string) => stack.prisma.event.findMany({ where: { resourceId: assetId }, orderBy: { sequence: "asc" } });

describe("the route table", () => {
  it("every asset operation (uploads by parts aside) is served by the facade's asset routes, and nothing else", async () => {
    const blobDir = await mkdtemp(path.join(tmpdir(), "reelay-routes-"));
    try {
      // Only the routing table is read: the dependencies are never used.
      const app = express();
      app.use("/v1.3", assetRoutes({ prisma: {} as never, queue: {} as never, blobDir, log: () => {}, maxUploadBytes: 1 }));
      const assetOperations = routeTable.filter((route) => route.id.startsWith("assets."));
      expect(assetOperations.map((route) => route.id)).toEqual(expect.arrayContaining(["assets.delete", "assets.transcription", "assets.user_metadata.update"]));
      const coverage = routeCoverage(app, assetOperations);
      expect(coverage.unserved.map((route) => route.id)).toEqual([]);
      expect(coverage.undeclared).toEqual([]);
    } finally {
      await rm(blobDir, { recursive: true, force: true });
    }
  });
});

describe("GET /v1.3/assets", () => {
  it("with asset_types > lists only assets of those types, judged by their file type; document matches none of these", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const video = await api.upload("sample.mp4");
    const image = await api.upload(imageName);
    const audio = await api.upload("tone.wav");
    for (const asset of [video, image, audio]) expect((await api.ready(asset._id)).status).toBe("ready");

    const ids = async (query: string) => (await api.get(`/assets?${query}`)).data.map((a: Json) => a._id);
    expect(await ids("asset_types=image")).toEqual([image._id]);
    expect(await ids("asset_types=video&asset_types=audio")).toEqual([audio._id, video._id]);
    expect(await ids("asset_types=document")).toEqual([]);
    expect(await ids("asset_types=image&filename=nothing-like-it")).toEqual([]);
    expect((await api.get("/assets?asset_types=image")).page_info).toMatchObject({ total_results: 1 });
    const bad = await api.send("GET", "/assets?asset_types=hologram");
    expect(bad.status).toBe(400);
    expect((await readJson(bad)).errors).toEqual([expect.objectContaining({ field: expect.stringMatching(/^asset_types/) })]);
  });
});

describe("DELETE /v1.3/assets/{asset_id}", () => {
  it("when no item uses it > answers 204; the asset is gone from retrieve (404) and list, asset.deleted is delivered, and the asset.delete job deletes the platform's copy", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const hook = await webhookFor(apiKey, ["asset.deleted"]);
    const asset = await api.upload("sample.mp4");
    await api.ready(asset._id);
    const upstreamId = await upstreamIdOf(asset._id);

    const res = await api.send("DELETE", `/assets/${asset._id}`);
    expect(res.status).toBe(204);
    const jobId = res.headers.get("x-job-id");
    expect(jobId).toMatch(/^job_/);
    expect((await api.send("GET", `/assets/${asset._id}`)).status).toBe(404);
    expect((await api.get("/assets")).data).toEqual([]);
    expect((await api.send("DELETE", `/assets/${asset._id}`)).status).toBe(404);

    const [delivery] = await hook.waitFor((received) => received.length >= 1);
    expect(JSON.parse(delivery!.body)).toMatchObject({ type: "asset.deleted", data: { _id: asset._id, status: "ready", job_id: jobId } });

    expect(await api.jobEnded(jobId!)).toMatchObject({ type: "asset.delete", status: "succeeded", resource: { type: "asset", id: asset._id } });
    await goneUpstream(upstreamId);
    // The ingest had succeeded: nothing else acts on the asset.
    expect((await api.get(`/jobs?resource_id=${asset._id}&type=asset.cleanup`)).data).toEqual([]);
  });

  it("when a knowledge store item uses it > answers 409 asset_in_use (the platform's code) and deletes nothing", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const asset = await api.upload("sample.mp4");
    const store = await api.store();
    const item = await api.item(store._id, asset._id);

    const res = await api.send("DELETE", `/assets/${asset._id}?force=false`);
    expect(res.status).toBe(409);
    const body = await readJson(res);
    expect(body).toMatchObject({ code: "asset_in_use", status: 409, message: expect.stringContaining(item._id) });
    expect((await api.send("GET", `/assets/${asset._id}`)).status).toBe(200);
    expect((await eventsOf(asset._id)).map((e) => e.type)).not.toContain("asset.deleted");
    expect((await api.send("DELETE", `/assets/${asset._id}?force=maybe`)).status).toBe(400);
  });

  it("racing item creates > either the item is refused 404 or the delete 409: never an item left on a deleted asset", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const store = await api.store();
    for (let round = 0; round < 8; round++) {
      const asset = await api.upload("sample.mp4");
      const [created, deleted] = await Promise.all([
        api.send("POST", `/knowledge-stores/${store._id}/items`, { asset_id: asset._id }),
        api.send("DELETE", `/assets/${asset._id}`),
      ]);
      expect([`202/409`, `404/204`]).toContain(`${created.status}/${deleted.status}`);
      const orphans = await stack.prisma.knowledgeStoreItem.count({ where: { assetId: asset._id, deletedAt: null, asset: { deletedAt: { not: null } } } });
      expect(orphans).toBe(0);
    }
  });

  it("with force=true while items use it > items not yet indexed end failed ('the asset was deleted', their jobs cancelled), indexed items stay ready, and the platform's copy goes", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const asset = await api.upload("sample.mp4");
    const store = await api.store();
    const indexed = await api.item(store._id, asset._id);
    await pollUntil(() => api.get(`/knowledge-stores/${store._id}/items/${indexed._id}`), (i) => i.status === "ready");
    const upstreamId = await upstreamIdOf(asset._id);
    const unindexed = await api.item(store._id, asset._id);

    // Through the SDK, as a client would.
    await sdkFor(apiKey).assets.delete(asset._id, { force: true });
    expect((await api.send("GET", `/assets/${asset._id}`)).status).toBe(404);

    expect(await api.get(`/knowledge-stores/${store._id}/items/${unindexed._id}`)).toMatchObject({ status: "failed", error: { message: "the asset was deleted" } });
    expect(await api.get(`/jobs/${unindexed.job_id}`)).toMatchObject({ status: "cancelled", last_error: { code: "asset_deleted", message: "the asset was deleted" } });
    expect(await api.get(`/knowledge-stores/${store._id}/items/${indexed._id}`)).toMatchObject({ status: "ready" });

    // Upstream, an indexed item still uses the asset: only a forced delete gets through.
    const deleteJob = (await api.get(`/jobs?resource_id=${asset._id}&type=asset.delete`)).data[0];
    expect(await api.jobEnded(deleteJob._id)).toMatchObject({ status: "succeeded" });
    await goneUpstream(upstreamId);
    // A deleted asset takes no new item.
    expect((await api.send("POST", `/knowledge-stores/${store._id}/items`, { asset_id: asset._id })).status).toBe(404);
  });

  it("while the asset is still processing > its ingest job is cancelled (the asset fails, then is deleted) and one job, asset.delete, deletes what the ingest created upstream", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    // A URL that never answers keeps the platform's asset processing.
    const hanging = new Set<ServerResponse>();
    const server: Server = createServer((_req, res) => void hanging.add(res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const asset = await api.upload("slow.mp4", {}, `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow.mp4`);
      await pollUntil(() => api.get(`/jobs/${asset.job_id}`), (job) => job.stage === "await_ready");
      const upstreamId = await upstreamIdOf(asset._id);
      expect((await platform.assets.retrieve(upstreamId)).status).toBe("processing");

      const res = await api.send("DELETE", `/assets/${asset._id}`);
      expect(res.status).toBe(204);
      expect(await api.get(`/jobs/${asset.job_id}`)).toMatchObject({ type: "asset.ingest", status: "cancelled", last_error: { code: "asset_deleted" }, resource: { status: "failed" } });
      expect((await eventsOf(asset._id)).map((e) => e.type)).toEqual(["asset.created", "asset.failed", "asset.deleted"]);

      expect(await api.jobEnded(res.headers.get("x-job-id")!)).toMatchObject({ type: "asset.delete", status: "succeeded" });
      await goneUpstream(upstreamId);
      expect((await api.get(`/jobs?resource_id=${asset._id}`)).data.map((job: Json) => job.type).sort()).toEqual(["asset.delete", "asset.ingest"]);
    } finally {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("DELETE /v1.3/assets/{asset_id} of a failed asset", () => {
  it("answers 204 and leaves the platform's copy to the asset.cleanup its failed ingest wrote: no second job deletes it", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const asset = await api.upload("corrupt.mp4");
    expect((await api.ready(asset._id)).status).toBe("failed");
    const cleanup = (await api.get(`/jobs?resource_id=${asset._id}&type=asset.cleanup`)).data;
    expect(cleanup).toHaveLength(1);

    const res = await api.send("DELETE", `/assets/${asset._id}`);
    expect(res.status).toBe(204);
    expect(res.headers.get("x-job-id")).toBeNull();
    expect((await api.send("GET", `/assets/${asset._id}`)).status).toBe(404);
    expect(await api.jobEnded(cleanup[0]._id)).toMatchObject({ status: "succeeded" });
    expect((await api.get(`/jobs?resource_id=${asset._id}`)).data.map((job: Json) => job.type).sort()).toEqual(["asset.cleanup", "asset.ingest"]);
  });
});

describe("PUT, PATCH and DELETE /v1.3/assets/{asset_id}/user-metadata", () => {
  it("replace, merge (null deletes a key, \"\" is ignored) and clear change the asset at once, answer 204 with the sync job, and each delivers asset.updated", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const hook = await webhookFor(apiKey, ["asset.updated"]);
    const asset = await api.upload("sample.mp4", { user_metadata: JSON.stringify({ team: "blue", round: 1 }) });
    const metadata = async () => (await api.get(`/assets/${asset._id}`)).user_metadata;

    const put = await api.send("PUT", `/assets/${asset._id}/user-metadata`, { user_metadata: { camera: "a", take: 3, ignored: "", gone: null } });
    expect(put.status).toBe(204);
    expect(put.headers.get("x-job-id")).toMatch(/^job_/);
    expect(await metadata()).toEqual({ camera: "a", take: 3 });

    const patch = await api.send("PATCH", `/assets/${asset._id}/user-metadata`, { user_metadata: { take: null, approved: true, camera: "" } });
    expect(patch.status).toBe(204);
    expect(await metadata()).toEqual({ camera: "a", approved: true });

    const clear = await api.send("DELETE", `/assets/${asset._id}/user-metadata`);
    expect(clear.status).toBe(204);
    expect(await metadata()).toBeUndefined();

    const updates = await hook.waitFor((received) => received.length >= 3);
    expect(updates.map((r) => JSON.parse(r.body)).map((e: Json) => [e.type, e.data.user_metadata])).toEqual([
      ["asset.updated", { camera: "a", take: 3 }],
      ["asset.updated", { camera: "a", approved: true }],
      ["asset.updated", undefined],
    ]);

    expect((await api.send("PATCH", `/assets/${asset._id}/user-metadata`, { user_metadata: { nested: { no: 1 } } })).status).toBe(400);
    expect((await api.send("PUT", `/assets/${asset._id}/user-metadata`, {})).status).toBe(400);
    expect((await api.send("PUT", "/assets/0123456789abcdef01234567/user-metadata", { user_metadata: {} })).status).toBe(404);
  });

  it("the platform's copy gets the tenant's metadata with Reelay's reelay_id stamp kept, after several updates in a row and after a clear", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const asset = await api.upload("sample.mp4", { user_metadata: JSON.stringify({ draft: true }) });
    await api.ready(asset._id);
    const upstreamId = await upstreamIdOf(asset._id);
    const upstreamMetadata = async () => (await platform.assets.retrieve(upstreamId)).userMetadata;
    expect(await upstreamMetadata()).toEqual({ draft: true, reelay_id: asset._id });

    for (let take = 1; take <= 5; take++) expect((await api.send("PATCH", `/assets/${asset._id}/user-metadata`, { user_metadata: { take } })).status).toBe(204);
    await pollUntil(upstreamMetadata, (m) => m?.take === 5);
    expect(await upstreamMetadata()).toEqual({ draft: true, take: 5, reelay_id: asset._id });

    await api.send("DELETE", `/assets/${asset._id}/user-metadata`);
    await pollUntil(upstreamMetadata, (m) => m?.take === undefined);
    expect(await upstreamMetadata()).toEqual({ reelay_id: asset._id });

    const jobs = (await api.get(`/jobs?resource_id=${asset._id}&type=asset.sync_metadata`)).data;
    expect(jobs.length).toBeGreaterThanOrEqual(1);
    for (const job of jobs) expect(await api.jobEnded(job._id)).toMatchObject({ status: "succeeded" });
  });

  it("a replace then a merge through the SDK > the platform's copy follows, stamp kept", async () => {
    const { apiKey } = await stack.newTenant();
    const sdk = sdkFor(apiKey);
    const api = client(apiKey);
    const asset = await api.upload("sample.mp4");
    await api.ready(asset._id);
    const upstreamId = await upstreamIdOf(asset._id);

    await sdk.assets.replaceUserMetadata(asset._id, { userMetadata: { category: "recentlyAdded", batchNumber: 5 } });
    await sdk.assets.updateUserMetadata(asset._id, { userMetadata: { rating: 9.3, batchNumber: null } });
    await pollUntil(async () => (await platform.assets.retrieve(upstreamId)).userMetadata, (m) => m?.rating === 9.3);
    expect((await platform.assets.retrieve(upstreamId)).userMetadata).toEqual({ category: "recentlyAdded", rating: 9.3, reelay_id: asset._id });
  });
});

describe("hls and thumbnail on asset details", () => {
  it("an asset created with enable_hls and enable_thumbnail is ready as soon as the platform says so, then shows both renditions as the platform reports them, URLs untouched", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const asset = await api.upload("sample.mp4", { enable_hls: "true", enable_thumbnail: "true" });
    const first = await api.get(`/assets/${asset._id}`);
    if (first.status === "processing") expect(first).toMatchObject({ hls: { status: "pending" }, thumbnail: { status: "pending" } });

    const ingest = await api.jobEnded(asset.job_id);
    expect(ingest).toMatchObject({ status: "succeeded" });
    const done = await api.get(`/assets/${asset._id}`);
    const upstream = await platform.assets.retrieve(await upstreamIdOf(asset._id));
    expect(done.hls).toEqual({ status: "ready", manifest_url: upstream.hls?.manifestUrl });
    expect(done.thumbnail).toEqual({ status: "ready", representative_url: upstream.thumbnail?.representativeUrl });
    expect((await fetch(done.hls.manifest_url)).status).toBe(200);

    // asset.ready went out with the renditions as they were then; any later progress is asset.updated.
    const events = await eventsOf(asset._id);
    const readyEvent = events.find((e) => e.type === "asset.ready")!;
    if ((readyEvent.data as Json).hls.status !== "ready" || (readyEvent.data as Json).thumbnail.status !== "ready") {
      expect(events.at(-1)).toMatchObject({ type: "asset.updated", data: { hls: { status: "ready" }, thumbnail: { status: "ready" } } });
      expect(events.at(-1)!.sequence).toBeGreaterThan(readyEvent.sequence);
    }
  });

  it("an image with enable_hls gets no hls (the platform makes none) but its thumbnail; without the flags, neither field", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const image = await api.upload(imageName, { enable_hls: "true", enable_thumbnail: "true" });
    const plain = await api.upload("sample.mp4");
    expect(await api.jobEnded(image.job_id)).toMatchObject({ status: "succeeded" });
    const detail = await api.get(`/assets/${image._id}`);
    expect(detail.hls).toBeUndefined();
    expect(detail.thumbnail).toMatchObject({ status: "ready", representative_url: expect.stringMatching(/^http/) });
    const other = await api.ready(plain._id);
    expect(other).not.toHaveProperty("hls");
    expect(other).not.toHaveProperty("thumbnail");
  });
});

describe("GET /v1.3/assets/{asset_id}/transcription", () => {
  it("the first request starts it: pending or processing until the platform's is ready, then words by default and the segmentations include names, as the platform gives them", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const asset = await api.upload("sample.mp4");

    const first = await api.send("GET", `/assets/${asset._id}/transcription`);
    expect(first.status).toBe(200);
    expect(await readJson(first)).toEqual({ status: "pending" });
    const jobId = first.headers.get("x-job-id")!;
    expect(await api.get(`/jobs/${jobId}`)).toMatchObject({ type: "asset.transcribe", resource: { type: "asset", id: asset._id } });

    const seen = await pollUntil(() => api.get(`/assets/${asset._id}/transcription`), (t) => t.status !== "pending" && t.status !== "processing", { timeoutMs: 90_000, key: (t) => t.status });
    expect(seen.seen.at(-1)).toBe("ready");
    expect(Object.keys(seen.last).sort()).toEqual(["status", "words"]);
    expect(seen.last.words.map((w: Json) => w.value)).toEqual(expect.arrayContaining(["hello"]));

    const upstream = await platform.assets.retrieveTranscription(await upstreamIdOf(asset._id), { include: ["words", "sentences", "utterances"] });
    const both = await api.get(`/assets/${asset._id}/transcription?include=sentences&include=utterances`);
    expect(Object.keys(both).sort()).toEqual(["sentences", "status", "utterances"]);
    expect(both.sentences).toEqual(upstream.sentences);
    const comma = await api.get(`/assets/${asset._id}/transcription?include=words,sentences`);
    expect(Object.keys(comma).sort()).toEqual(["sentences", "status", "words"]);
    expect((await api.send("GET", `/assets/${asset._id}/transcription?include=paragraphs`)).status).toBe(400);
    expect(await api.jobEnded(jobId)).toMatchObject({ status: "succeeded", resource: { status: "ready" } });
  });

  it("when the platform has no transcription (an image), or the asset does not exist or was deleted > answers 404 resource_not_exist", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const image = await api.upload(imageName);
    await api.ready(image._id);
    const none = await pollUntil(() => api.send("GET", `/assets/${image._id}/transcription`), (res) => res.status !== 200);
    expect(none.last.status).toBe(404);
    const body = await readJson(none.last);
    expect(body).toMatchObject({ code: "resource_not_exist", message: expect.stringContaining("image") });
    expect(body.message).toContain(image._id);
    expect((await api.send("GET", "/assets/0123456789abcdef01234567/transcription")).status).toBe(404);

    const deleted = await api.upload("sample.mp4");
    await api.send("DELETE", `/assets/${deleted._id}`);
    expect((await api.send("GET", `/assets/${deleted._id}/transcription`)).status).toBe(404);
  });
});

describe("POST /v1.3/knowledge-stores/{id}/items without asset_type", () => {
  it("takes the asset's type: image for an image asset, video for a video", async () => {
    const { apiKey } = await stack.newTenant();
    const api = client(apiKey);
    const image = await api.upload(imageName);
    const video = await api.upload("sample.mp4");
    const store = await api.store();
    expect((await api.item(store._id, image._id)).asset_type).toBe("image");
    expect((await api.item(store._id, video._id)).asset_type).toBe("video");
  });
});
