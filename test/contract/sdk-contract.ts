import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { MultipartUploadWrapper, TwelvelabsApi, TwelvelabsApiClient, TwelvelabsApiError } from "twelvelabs-js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { EmulatorConfig } from "@reelay/emulator";
import type { FileServer } from "@reelay/sample-media";
import { pollUntil, serveSampleMedia } from "../../services/emulator/src/testing/emulator-fixtures.ts";
import { makeSampleImage } from "../../services/emulator/src/testing/sample-image.ts";
import { validateJsonSubset } from "../../services/emulator/src/testing/validate-json-subset.ts";

/** A platform to hold to the contract: the emulator itself, or a whole Reelay in front of one. */
export interface ContractTarget {
  /** Base URL the SDK is given, `/v1.3` included. */
  environment: string;
  apiKey: string;
  /** Serves `sample.mp4` (9 s, 320x240, 25 fps, spoken words), `sample.png` (160x120) and `corrupt.mp4` (text). */
  files: FileServer;
  /** Local path of the served `sample.mp4`, for the uploads that send a file. */
  samplePath: string;
  /**
   * The chunk size multipart uploads are offered, when the target promises one. It must be small
   * enough for the sample to span more than the 10 chunk URLs an upload starts with.
   */
  multipartChunkBytes?: number;
  close(): Promise<void>;
}

/** 20 chunks for the 80 kB sample: more than the 10 URLs an upload session starts with. */
export const CONTRACT_CHUNK_BYTES = 4 * 1024;

/**
 * The emulator both runs use as the platform: small multipart chunks, speech recognition on (the
 * transcription and audio-search checks need words), short stages.
 */
export const CONTRACT_EMULATOR: Partial<EmulatorConfig> = { multipartChunkBytes: CONTRACT_CHUNK_BYTES, asr: true, itemStageMs: 200, assetProcessingMs: 100 };

/** The sample video, image and corrupt video, served on loopback. */
export async function serveContractMedia(): Promise<{ files: FileServer; samplePath: string }> {
  const { files, samplePath } = await serveSampleMedia();
  await makeSampleImage(dirname(samplePath));
  return { files, samplePath };
}

const once = { maxRetries: 0 };
/** Through a gateway, asset and item states trail the platform's by a few polls. */
const settle = { timeoutMs: 60_000, intervalMs: 50 };
const statusOf = (error: unknown) => (error instanceof TwelvelabsApiError ? error.statusCode : error);
/** What a call that should fail threw (or its value, which then fails the assertion on it). */
const refusal = (call: Promise<unknown>): Promise<unknown> => call.then((value) => value, (error: unknown) => error);
/** A failed call's HTTP status and the platform's error code, whichever error class the SDK chose for it. */
const failureOf = async (call: Promise<unknown>) => {
  const error = await refusal(call);
  return error instanceof TwelvelabsApiError ? { status: error.statusCode, code: (error.body as { code?: unknown } | undefined)?.code } : { succeeded: error };
};
/** A page's whole body: the SDK parses all of it but exposes only `data`, and `page_info` and the like are contract too. */
const bodyOf = <T>(page: object): T => (page as { response: T }).response;
const ask = (content: string) => [{ type: "message" as const, role: "user" as const, content }];
const messageOf = (response: TwelvelabsApi.ResponseObject) => response.output?.find((o) => o.type === "message");
/** The marker a citation points at: code points, inclusive end. */
const markerOf = (text: string, a: TwelvelabsApi.ResponseAnnotation) => [...text].slice(a.startIndex, a.endIndex + 1).join("");

/**
 * Every video-agent operation of twelvelabs-js 1.3.4, driven through the official SDK (which
 * validates each answer's shape), with assertions that hold for the platform itself: statuses,
 * shapes and behaviours, never how a target implements them. Run once per target.
 */
export function describeSdkContract(targetName: string, setup: () => Promise<ContractTarget>): void {
  describe(`the platform contract, driven by twelvelabs-js 1.3.4, against ${targetName}`, () => {
    let target: ContractTarget;
    let client: TwelvelabsApiClient;
    let sample: Buffer;
    /** Names only this run uses, so list filters have exact answers on a shared platform. */
    const run = `contract-${randomBytes(4).toString("hex")}`;

    // Shared, ready fixtures: a video (with HLS and thumbnail) and an image, both items of one store.
    let videoCreated: TwelvelabsApi.Asset;
    let video: TwelvelabsApi.AssetDetail;
    let image: TwelvelabsApi.AssetDetail;
    let storeId: string;
    let videoItem: TwelvelabsApi.KnowledgeStoreItem;
    let imageItem: TwelvelabsApi.KnowledgeStoreItem;
    // Created first and left alone while the rest is set up: an empty store with an empty collection.
    let quietStore: TwelvelabsApi.KnowledgeStore;
    let quietCollection: TwelvelabsApi.KnowledgeStoreItemCollection;

    const settledAsset = (id: string) => pollUntil(() => client.assets.retrieve(id, once), (a) => a.status !== "processing", settle);
    const uploadSettled = async (request: TwelvelabsApi.AssetsCreateRequest) => settledAsset((await client.assets.create(request, once)).id!);
    const settledItem = (store: string, id: string) => pollUntil(() => client.knowledgeStoreItems.retrieve(store, id, once), (i) => i.status === "ready" || i.status === "failed", settle);
    const newStore = async (name: string) => (await client.knowledgeStores.create({ name: `${run} ${name}` }, once)).id!;

    beforeAll(async () => {
      target = await setup();
      client = new TwelvelabsApiClient({ apiKey: target.apiKey, environment: target.environment });
      sample = await readFile(target.samplePath);
      quietStore = await client.knowledgeStores.create({ name: `${run} quiet` }, once);
      quietCollection = await client.knowledgeStoreItemCollections.create(quietStore.id!, { name: `${run} quiet` }, once);

      videoCreated = await client.assets.create(
        { method: "url", url: target.files.url("sample.mp4"), filename: `${run}-video.mp4`, enableHls: true, enableThumbnail: true, userMetadata: JSON.stringify({ team: "blue", take: 3 }) },
        once,
      );
      const imageCreated = await client.assets.create({ method: "url", url: target.files.url("sample.png"), filename: `${run}-still.png` }, once);
      [video, image] = await Promise.all([settledAsset(videoCreated.id!), settledAsset(imageCreated.id!)]);

      storeId = await newStore("shared");
      // No assetType given for either: an item takes its asset's type. One after the other, so
      // the video's is the older item.
      const [videoCreatedItem, imageCreatedItem] = [
        await client.knowledgeStoreItems.create(storeId, { assetId: video.id! }, once),
        await client.knowledgeStoreItems.create(storeId, { assetId: image.id! }, once),
      ];
      [videoItem, imageItem] = await Promise.all([settledItem(storeId, videoCreatedItem.id!), settledItem(storeId, imageCreatedItem.id!)]);
    }, 180_000);
    afterAll(async () => {
      await target?.close();
    });

    describe("assets", () => {
      it("create by URL answers the asset processing; retrieve follows it to ready with what was measured", () => {
        expect(videoCreated).toMatchObject({ method: "url", status: "processing", filename: `${run}-video.mp4` });
        expect(videoCreated.id).toMatch(/^[0-9a-f]{24}$/);
        expect(video).toMatchObject({ id: videoCreated.id, method: "url", status: "ready", filename: `${run}-video.mp4`, fileType: "video/mp4", size: sample.length, userMetadata: { team: "blue", take: 3 } });
        expect(video.duration).toBeCloseTo(9, 1);
        expect(video.createdAt).toBeInstanceOf(Date);
        expect(video.technicalMetadata).toMatchObject({ videoWidth: 320, videoHeight: 240, videoFps: 25, videoCodec: "h264", hasAudio: true });
        expect(image).toMatchObject({ status: "ready", fileType: "image/png", technicalMetadata: { imageWidth: 160, imageHeight: 120 } });
      });

      it("create with method direct uploads the file itself, a video or an image; the asset becomes ready like a URL upload", async () => {
        const created = await client.assets.create({ method: "direct", file: createReadStream(target.samplePath), filename: `${run}-direct.mp4` }, once);
        expect(created).toMatchObject({ method: "direct", filename: `${run}-direct.mp4` });
        const still = await client.assets.create({ method: "direct", file: createReadStream(join(dirname(target.samplePath), "sample.png")) }, once);
        expect(still).toMatchObject({ method: "direct", filename: "sample.png" });
        const [ready, stillReady] = await Promise.all([settledAsset(created.id!), settledAsset(still.id!)]);
        expect(ready).toMatchObject({ method: "direct", status: "ready", fileType: "video/mp4", size: sample.length });
        expect(ready.duration).toBeCloseTo(9, 1);
        expect(stillReady).toMatchObject({ method: "direct", status: "ready", fileType: "image/png", technicalMetadata: { imageWidth: 160, imageHeight: 120 } });
      });

      it("an upload that is not media ends failed, with an error saying why", async () => {
        const broken = await uploadSettled({ method: "url", url: target.files.url("corrupt.mp4") });
        expect(broken).toMatchObject({ status: "failed", error: { message: expect.any(String) } });
        expect(video.error).toBeUndefined();
      });

      it("list filters by assetTypes, filename (a case-insensitive substring) and assetIds, newest first, and its pager stops at the end", async () => {
        const ids = async (request: TwelvelabsApi.AssetsListRequest) => (await client.assets.list({ pageLimit: 50, ...request }, once)).data.map((a) => a.id);
        expect(await ids({ filename: `${run}-VIDEO` })).toEqual([video.id]);
        expect(await ids({ filename: `${run}-st` })).toEqual([image.id]);
        expect(await ids({ filename: run, assetTypes: ["image"] })).toEqual([image.id]);
        const videos = await ids({ filename: run, assetTypes: ["video", "audio"] });
        expect(videos).toContain(video.id);
        expect(videos).not.toContain(image.id);
        expect(await ids({ assetIds: [video.id!, image.id!] })).toEqual([image.id, video.id]);
        expect(await ids({ filename: run, assetTypes: "document" })).toEqual([]);
        const listed = await client.assets.list({ assetTypes: "image", pageLimit: 50 }, once);
        expect(listed.data.every((a) => a.technicalMetadata?.imageWidth !== undefined)).toBe(true);
        const filtered = await client.assets.list({ filename: run, assetTypes: ["image"], pageLimit: 50 }, once);
        expect(bodyOf<{ pageInfo: TwelvelabsApi.PageInfo }>(filtered).pageInfo).toEqual({ limitPerPage: 50, page: 1, totalPage: 1, totalResults: 1 });

        const paged: string[] = [];
        for await (const asset of await client.assets.list({ assetIds: [video.id!, image.id!], pageLimit: 1 }, once)) paged.push(asset.id!);
        expect(paged).toEqual([image.id, video.id]);
      });

      it("retrieve shows hls and thumbnail only when asked for, ready at URLs that serve them", async () => {
        const done = await pollUntil(() => client.assets.retrieve(video.id!, once), (a) => a.hls?.status === "ready" && a.thumbnail?.status === "ready", settle);
        expect((await fetch(done.thumbnail!.representativeUrl!)).status).toBe(200);
        expect(await (await fetch(done.hls!.manifestUrl!)).text()).toContain("#EXTM3U");
        expect(image.hls).toBeUndefined();
        expect(image.thumbnail).toBeUndefined();
      });

      it("replaceUserMetadata (null and \"\" ignored), updateUserMetadata (null deletes a key, \"\" is ignored) and deleteUserMetadata change what retrieve shows", async () => {
        await client.assets.replaceUserMetadata(image.id!, { userMetadata: { category: "recentlyAdded", batchNumber: 5, rating: 9.3, needsReview: true, blank: "", gone: null } }, once);
        expect((await client.assets.retrieve(image.id!, once)).userMetadata).toEqual({ category: "recentlyAdded", batchNumber: 5, rating: 9.3, needsReview: true });
        await client.assets.updateUserMetadata(image.id!, { userMetadata: { needsReview: null, rating: 10, category: "" } }, once);
        expect((await client.assets.retrieve(image.id!, once)).userMetadata).toEqual({ category: "recentlyAdded", batchNumber: 5, rating: 10 });
        await client.assets.deleteUserMetadata(image.id!, once);
        expect((await client.assets.retrieve(image.id!, once)).userMetadata).toBeUndefined();
      });

      it("retrieveTranscription goes to ready with the segmentations asked for; an image has none (404)", async () => {
        const transcription = await pollUntil(
          () => client.assets.retrieveTranscription(video.id!, { include: ["words", "utterances"] }, once),
          (t) => t.status === "ready" || t.status === "failed",
          settle,
        );
        expect(transcription.status).toBe("ready");
        expect(transcription.words?.map((w) => w.value)).toContain("picture");
        expect(transcription.utterances?.[0]).toMatchObject({ start: expect.any(Number), end: expect.any(Number), value: expect.stringContaining("blue") });
        expect(transcription.sentences).toBeUndefined();
        const byDefault = await client.assets.retrieveTranscription(video.id!, {}, once);
        expect(byDefault).toMatchObject({ status: "ready", words: transcription.words });
        expect([byDefault.sentences, byDefault.utterances]).toEqual([undefined, undefined]);

        // A gateway may have to ask the platform before it knows: it answers pending meanwhile.
        const none = await pollUntil(
          () => refusal(client.assets.retrieveTranscription(image.id!, {}, once)),
          (answer) => !(answer && typeof answer === "object" && "status" in answer && (answer.status === "pending" || answer.status === "processing")),
          settle,
        );
        expect(none).toBeInstanceOf(TwelvelabsApi.NotFoundError);
      });

      it("delete is refused with a ConflictError while an item uses the asset and succeeds with force; an unused asset just goes", async () => {
        const used = await uploadSettled({ method: "url", url: target.files.url("sample.mp4") });
        await client.knowledgeStoreItems.create(await newStore("holds the asset"), { assetId: used.id! }, once);
        const refused = await refusal(client.assets.delete(used.id!, {}, once));
        expect(refused).toBeInstanceOf(TwelvelabsApi.ConflictError);
        expect(await client.assets.retrieve(used.id!, once)).toMatchObject({ id: used.id });
        await client.assets.delete(used.id!, { force: true }, once);
        expect(statusOf(await refusal(client.assets.retrieve(used.id!, once)))).toBe(404);

        const unused = await uploadSettled({ method: "url", url: target.files.url("sample.png") });
        await client.assets.delete(unused.id!, {}, once);
        expect(statusOf(await refusal(client.assets.retrieve(unused.id!, once)))).toBe(404);
        expect(statusOf(await refusal(client.assets.delete(unused.id!, {}, once)))).toBe(404);
        expect((await client.assets.list({ assetIds: [unused.id!] }, once)).data).toEqual([]);
      });

      it("an unknown asset is a NotFoundError with the platform's resource_not_exist code", async () => {
        const missing = await refusal(client.assets.retrieve("0123456789abcdef01234567", once));
        expect(missing).toBeInstanceOf(TwelvelabsApi.NotFoundError);
        expect((missing as TwelvelabsApiError).body).toMatchObject({ code: "resource_not_exist", message: expect.any(String) });
      });
    });

    describe("multipart uploads", () => {
      const chunksOf = (chunkSize: number) => Math.ceil(sample.length / chunkSize);

      it("the SDK's uploadFile helper sends the file in chunks, in batches; the asset then becomes ready", async () => {
        const uploader = new MultipartUploadWrapper({ apiKey: target.apiKey, environment: target.environment });
        const quiet = vi.spyOn(console, "log").mockImplementation(() => undefined);
        const progress: number[] = [];
        let result: Awaited<ReturnType<MultipartUploadWrapper["uploadFile"]>>;
        try {
          result = await uploader.uploadFile(target.samplePath, { filename: `${run}-helper.mp4`, batchSize: 10, progressCallback: (p) => progress.push(p.completedChunks) });
        } finally {
          quiet.mockRestore();
        }
        const total = chunksOf(target.multipartChunkBytes ?? sample.length);
        expect(progress).toEqual(Array.from({ length: Math.ceil(total / 10) }, (_, i) => Math.min(10 * (i + 1), total)));
        expect(result.assetUrl).toContain(result.assetId);
        const asset = await settledAsset(result.assetId);
        expect(asset).toMatchObject({ id: result.assetId, status: "ready", method: "multipart", filename: `${run}-helper.mp4`, size: sample.length });
        expect(asset.duration).toBeCloseTo(9, 1);
      });

      it("create refuses a file larger than its type allows: 32 MB for an image, 10 GB for a video", async () => {
        expect(await failureOf(client.multipartUpload.create({ filename: "big.png", type: "image", totalSize: 32 * 1024 * 1024 + 1 }, once))).toMatchObject({ status: 400 });
        expect(await failureOf(client.multipartUpload.create({ filename: "big.mp4", type: "video", totalSize: 10 * 1024 ** 3 + 1 }, once))).toMatchObject({ status: 400 });
      });

      it("create, listIncompleteUploads, getAdditionalPresignedUrls, reportChunkBatch, getStatus and waitForUploadCompletion, by hand", async () => {
        const session = await client.multipartUpload.create({ filename: `${run}-by-hand.mp4`, type: "video", totalSize: sample.length }, once);
        if (target.multipartChunkBytes) expect(session.chunkSize).toBe(target.multipartChunkBytes);
        const total = chunksOf(session.chunkSize!);
        expect(total).toBeGreaterThan(10);
        expect(session).toMatchObject({ totalChunks: total, uploadHeaders: {} });
        expect(session.uploadId).toEqual(expect.any(String));
        expect(session.assetId).toMatch(/^[0-9a-f]{24}$/);
        // The session lasts 24 hours, each chunk URL one.
        const hours = (at: Date | undefined) => ((at?.getTime() ?? 0) - Date.now()) / 3_600_000;
        expect(hours(session.expiresAt)).toBeGreaterThan(23.9);
        expect(hours(session.expiresAt)).toBeLessThanOrEqual(24);
        expect(session.uploadUrls?.map((u) => u.chunkIndex)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        const urlHours = session.uploadUrls!.map((u) => hours(u.expiresAt));
        expect(Math.min(...urlHours)).toBeGreaterThan(0.9);
        expect(Math.max(...urlHours)).toBeLessThanOrEqual(1);
        const listed = await client.multipartUpload.listIncompleteUploads({ pageLimit: 50 }, once);
        expect(listed.data.find((u) => u.uploadId === session.uploadId)).toMatchObject({
          status: "active",
          totalChunks: total,
          chunkSize: session.chunkSize,
          totalSize: sample.length,
          createdAt: expect.any(Date),
          expiresAt: expect.any(Date),
        });

        const more = await client.multipartUpload.getAdditionalPresignedUrls(session.uploadId!, { start: 11, count: total - 10 }, once);
        expect(more).toMatchObject({ uploadId: session.uploadId, startIndex: 11, count: total - 10 });
        expect(more.generatedAt).toBeInstanceOf(Date);
        expect(await failureOf(client.multipartUpload.getAdditionalPresignedUrls(session.uploadId!, { start: total + 1, count: 1 }, once))).toMatchObject({ status: 400 });
        const completed: TwelvelabsApi.CompletedChunk[] = [];
        for (const { chunkIndex, url } of [...session.uploadUrls!, ...more.uploadUrls!]) {
          const chunk = sample.subarray((chunkIndex! - 1) * session.chunkSize!, chunkIndex! * session.chunkSize!);
          const res = await fetch(url!, { method: "PUT", body: chunk, headers: session.uploadHeaders ?? {} });
          expect(res.status).toBe(200);
          // S3's answer to a single PUT: the quoted MD5 of the bytes, which the client reports as proof.
          expect(res.headers.get("etag")).toBe(`"${createHash("md5").update(chunk).digest("hex")}"`);
          completed.push({ chunkIndex: chunkIndex!, proof: res.headers.get("etag")!.replace(/"/g, ""), proofType: "etag", chunkSize: chunk.length });
        }

        const firstTen = await client.multipartUpload.reportChunkBatch(session.uploadId!, { completedChunks: completed.slice(0, 10) }, once);
        expect(firstTen).toMatchObject({ assetId: session.assetId, processedChunks: 10, duplicateChunks: 0, totalCompleted: 10 });
        expect(firstTen.url).toBeUndefined();
        const status = await client.multipartUpload.getStatus(session.uploadId!, { pageLimit: 5 }, once);
        expect(status.data.map((c) => [c.index, c.status])).toEqual([1, 2, 3, 4, 5].map((index) => [index, "completed"]));
        expect(status.data[0]?.uploadedAt).toBeInstanceOf(Date);
        expect(bodyOf<TwelvelabsApi.GetUploadStatusResponse>(status)).toMatchObject({
          uploadId: session.uploadId,
          status: "active",
          chunksCompleted: 10,
          chunksFailed: 0,
          chunksPending: total - 10,
          totalSize: sample.length,
          uploadedSize: 10 * session.chunkSize!,
          pageInfo: { limitPerPage: 5, page: 1, totalPage: Math.ceil(total / 5), totalResults: total },
        });
        const states: string[] = [];
        for await (const chunk of status) states.push(chunk.status!);
        expect(states).toHaveLength(total);
        expect(states.filter((s) => s === "completed")).toHaveLength(10);

        // Chunk 10 again: a duplicate, counted as such.
        const rest = await client.multipartUpload.reportChunkBatch(session.uploadId!, { completedChunks: completed.slice(9) }, once);
        expect(rest).toMatchObject({ processedChunks: total - 10, duplicateChunks: 1, totalCompleted: total, url: expect.stringContaining(session.assetId!) });
        const uploader = new MultipartUploadWrapper({ apiKey: target.apiKey, environment: target.environment });
        expect(await uploader.waitForUploadCompletion(session.uploadId!, { sleepInterval: 0.05, maxWaitTime: 30 })).toEqual({ status: "completed", completedChunks: total, totalChunks: total });
        expect((await client.multipartUpload.listIncompleteUploads({ pageLimit: 50 }, once)).data.map((u) => u.uploadId)).not.toContain(session.uploadId);
        expect(bodyOf<TwelvelabsApi.GetUploadStatusResponse>(await client.multipartUpload.getStatus(session.uploadId!, {}, once))).toMatchObject({ status: "completed", chunksCompleted: total, chunksPending: 0 });
        expect(await settledAsset(session.assetId!)).toMatchObject({ status: "ready", method: "multipart", size: sample.length });
      });
    });

    describe("knowledge stores", () => {
      it("create echoes a tagged enrichment config (description or json_schema) and starts empty; retrieve and the list pager return it", async () => {
        const described = await client.knowledgeStores.create(
          { name: `${run} described`, description: "scenes and speech", metadata: { team: "ops" }, ingestionConfig: { enrichmentConfig: { type: "description", description: "Who speaks and what is shown" } } },
          once,
        );
        expect(described.id).toMatch(/^ks_[0-9a-f-]{36}$/);
        expect(described).toMatchObject({ name: `${run} described`, description: "scenes and speech", metadata: { team: "ops" }, itemCount: 0 });
        expect(described.ingestionConfig?.enrichmentConfig).toEqual({ type: "description", description: "Who speaks and what is shown" });
        expect(described.createdAt).toBeInstanceOf(Date);

        const jsonSchema = { type: "object" as const, properties: { mood: { type: "string", description: "The mood of the shot" } } };
        const schematic = await client.knowledgeStores.create({ name: `${run} schematic`, ingestionConfig: { enrichmentConfig: { type: "json_schema", jsonSchema } } }, once);
        expect(schematic.ingestionConfig?.enrichmentConfig).toEqual({ type: "json_schema", jsonSchema });

        expect(await client.knowledgeStores.retrieve(described.id!, once)).toMatchObject({ id: described.id, name: `${run} described`, itemCount: 0, ingestionConfig: described.ingestionConfig });
        const listed: string[] = [];
        for await (const store of await client.knowledgeStores.list({ pageLimit: 1, sortBy: "created_at", sortOption: "desc" }, once)) listed.push(store.id!);
        expect(listed.filter((id) => id === described.id || id === schematic.id)).toEqual([schematic.id, described.id]);
      });

      it("create accepts the untagged enrichment config older callers send (the SDK cannot), and stores it tagged", async () => {
        const res = await fetch(`${target.environment}/knowledge-stores`, {
          method: "POST",
          headers: { "x-api-key": target.apiKey, "content-type": "application/json" },
          body: JSON.stringify({ name: `${run} untagged`, ingestion_config: { enrichment_config: { description: "Who speaks" } } }),
        });
        expect(res.status).toBe(201);
        const { _id: id } = (await res.json()) as { _id: string };
        expect((await client.knowledgeStores.retrieve(id, once)).ingestionConfig?.enrichmentConfig).toEqual({ type: "description", description: "Who speaks" });
      });

      it("create refuses a json_schema property without a description with 422", async () => {
        const jsonSchema = { type: "object" as const, properties: { mood: { type: "string" } } };
        const refused = await failureOf(client.knowledgeStores.create({ name: `${run} bad schema`, ingestionConfig: { enrichmentConfig: { type: "json_schema", jsonSchema } } }, once));
        expect(refused).toMatchObject({ status: 422 });
      });

      it("update renames the store and replaces its metadata, keeping the rest", async () => {
        const before = await client.knowledgeStores.retrieve(storeId, once);
        const updated = await client.knowledgeStores.update(storeId, { name: `${run} renamed`, metadata: { b: "2" } }, once);
        expect(updated).toMatchObject({ id: storeId, name: `${run} renamed`, metadata: { b: "2" }, itemCount: 2 });
        expect(updated.createdAt).toEqual(before.createdAt);
        expect(updated.updatedAt!.getTime()).toBeGreaterThan(before.updatedAt!.getTime());
        expect(await client.knowledgeStores.retrieve(storeId, once)).toMatchObject({ name: `${run} renamed`, metadata: { b: "2" } });
      });

      it("updatedAt of a store, or of a collection, stays its creation's until it is changed; the store changed last sorts first by updated_at", async () => {
        expect((await client.knowledgeStores.retrieve(quietStore.id!, once)).updatedAt).toEqual(quietStore.updatedAt);
        expect((await client.knowledgeStoreItemCollections.retrieve(quietStore.id!, quietCollection.id!, once)).updatedAt).toEqual(quietCollection.updatedAt);
        const changed = await client.knowledgeStores.update(quietStore.id!, { description: "changed" }, once);
        expect(changed.updatedAt!.getTime()).toBeGreaterThan(quietStore.updatedAt!.getTime());
        const [latest] = (await client.knowledgeStores.list({ sortBy: "updated_at", sortOption: "desc", pageLimit: 1 }, once)).data;
        expect(latest?.id).toBe(quietStore.id);
      });

      it("search finds clips by speech, filters, and pages with nextPageToken", async () => {
        const heard = await client.knowledgeStores.search(
          storeId,
          { query: { text: "blue picture" }, searchOptions: { video: { modalities: ["visual", "audio"] } }, groupBy: "item", includeMetadata: true },
          once,
        );
        expect(heard.effectiveSearchOptions).toEqual({ video: { modalities: ["visual", "audio"] } });
        const [hit] = heard.data;
        expect(hit).toMatchObject({ assetType: "video", rank: 1, itemId: videoItem.id, metadata: { system: { duration: 9, width: 320, height: 240 } } });
        expect(hit?.assetType === "video" && hit.matches[0]).toMatchObject({ startSec: expect.any(Number), endSec: expect.any(Number), modalities: ["audio"], transcription: expect.any(String) });

        const images = await client.knowledgeStores.search(storeId, { query: { text: "scene image" }, filter: { assetType: { eq: "image" } } }, once);
        expect(images.data.map((h) => h.itemId)).toEqual([imageItem.id]);
        const onlyVideo = await client.knowledgeStores.search(storeId, { query: { text: "scene image" }, filter: { itemId: { in: [videoItem.id!] } } }, once);
        expect(new Set(onlyVideo.data.map((h) => h.itemId))).toEqual(new Set([videoItem.id]));

        // Four hits, the video's three scenes and the image (equal scores, in no promised order), in two pages.
        const first = await client.knowledgeStores.search(storeId, { query: { text: "scene image" }, pageSize: 3 }, once);
        expect(first.data.map((h) => h.rank)).toEqual([1, 2, 3]);
        expect(first.nextPageToken).toEqual(expect.any(String));
        const next = await client.knowledgeStores.search(storeId, { query: { text: "scene image" }, pageSize: 3, pageToken: first.nextPageToken }, once);
        expect(next.data.map((h) => h.rank)).toEqual([4]);
        expect(next.nextPageToken).toBeUndefined();
        const hits = [...first.data, ...next.data].map((h) => [h.assetType, h.itemId]);
        expect(hits.filter(([type]) => type === "video")).toEqual(Array(3).fill(["video", videoItem.id]));
        expect(hits.filter(([type]) => type === "image")).toEqual([["image", imageItem.id]]);
      });

      it("delete removes the store with its items: both answer 404", async () => {
        const doomed = await newStore("doomed");
        const item = await client.knowledgeStoreItems.create(doomed, { assetId: video.id! }, once);
        await client.knowledgeStores.delete(doomed, once);
        expect(await failureOf(client.knowledgeStores.retrieve(doomed, once))).toEqual({ status: 404, code: "resource_not_exist" });
        expect(statusOf(await refusal(client.knowledgeStoreItems.retrieve(doomed, item.id!, once)))).toBe(404);
        expect(statusOf(await refusal(client.knowledgeStores.delete(doomed, once)))).toBe(404);
        const listed: string[] = [];
        for await (const store of await client.knowledgeStores.list({ pageLimit: 50 }, once)) listed.push(store.id!);
        expect(listed).toContain(storeId);
        expect(listed).not.toContain(doomed);
      });
    });

    describe("knowledge store items", () => {
      it("an item takes its asset's type when none is given, and describes its media in systemMetadata", () => {
        expect(videoItem).toMatchObject({ status: "ready", assetType: "video", assetId: video.id });
        expect(videoItem.id).toMatch(/^ksi_/);
        expect(videoItem.systemMetadata).toMatchObject({ assetType: "video", filename: `${run}-video.mp4`, width: 320, height: 240, fps: 25, codecName: "h264" });
        expect(imageItem).toMatchObject({ status: "ready", assetType: "image", assetId: image.id, systemMetadata: { assetType: "image", width: 160, height: 120 } });
      });

      it("create answers the item queued; it goes through pending and processing to ready, then delete makes it 404", async () => {
        const store = await newStore("lifecycle");
        const created = await client.knowledgeStoreItems.create(store, { assetId: image.id!, assetType: "image", metadata: { source: "contract" } }, once);
        expect(created).toMatchObject({ status: "queued", assetId: image.id, assetType: "image", metadata: { source: "contract" } });
        expect(created.id).toMatch(/^ksi_/);
        const order = ["queued", "pending", "processing", "ready"];
        const seen: string[] = [created.status!];
        const ready = await pollUntil(
          () => client.knowledgeStoreItems.retrieve(store, created.id!, once),
          (i) => {
            if (seen.at(-1) !== i.status) seen.push(i.status!);
            return i.status === "ready" || i.status === "failed";
          },
          settle,
        );
        expect(ready.status).toBe("ready");
        // Every stage is in order; a poll may fall between two and miss one.
        const stages = seen.map((s) => order.indexOf(s));
        expect(stages).toEqual([...new Set(stages)].sort((a, b) => a - b));
        expect((await client.knowledgeStores.retrieve(store, once)).itemCount).toBe(1);

        await client.knowledgeStoreItems.delete(store, created.id!, once);
        expect(statusOf(await refusal(client.knowledgeStoreItems.retrieve(store, created.id!, once)))).toBe(404);
        expect(statusOf(await refusal(client.knowledgeStoreItems.delete(store, created.id!, once)))).toBe(404);
        expect((await client.knowledgeStoreItems.list(store, {}, once)).data).toEqual([]);
        expect((await client.knowledgeStores.retrieve(store, once)).itemCount).toBe(0);
      });

      it("list filters by status, one or several, and pages", async () => {
        const ids = async (request: TwelvelabsApi.KnowledgeStoreItemsListRequest) => (await client.knowledgeStoreItems.list(storeId, request, once)).data.map((i) => i.id);
        expect(await ids({ status: ["ready"], sortOption: "asc" })).toEqual([videoItem.id, imageItem.id]);
        expect(await ids({ status: "ready", sortOption: "desc" })).toEqual([imageItem.id, videoItem.id]);
        expect(await ids({ status: ["queued", "pending", "processing"] })).toEqual([]);
        expect(await ids({ status: "failed" })).toEqual([]);
        const ready = await client.knowledgeStoreItems.list(storeId, { status: ["ready", "failed"], pageLimit: 1 }, once);
        expect(bodyOf<{ pageInfo: TwelvelabsApi.PageInfo }>(ready).pageInfo).toEqual({ limitPerPage: 1, page: 1, totalPage: 2, totalResults: 2 });
        const paged: string[] = [];
        for await (const item of await client.knowledgeStoreItems.list(storeId, { pageLimit: 1, sortOption: "asc" }, once)) paged.push(item.id!);
        expect(paged).toEqual([videoItem.id, imageItem.id]);
      });

      it("an asset that is not there cannot become an item (404), nor one of another type than the assetType given (400)", async () => {
        expect(await failureOf(client.knowledgeStoreItems.create(storeId, { assetId: "0123456789abcdef01234567" }, once))).toEqual({ status: 404, code: "resource_not_exist" });
        const store = await newStore("mismatched");
        expect(await failureOf(client.knowledgeStoreItems.create(store, { assetId: video.id!, assetType: "image" }, once))).toEqual({ status: 400, code: "parameter_invalid" });
        expect(await failureOf(client.knowledgeStoreItems.create(store, { assetId: image.id!, assetType: "video" }, once))).toEqual({ status: 400, code: "parameter_invalid" });
        expect((await client.knowledgeStoreItems.list(store, {}, once)).data).toEqual([]);
      });
    });

    describe("item collections", () => {
      it("create, retrieve, update, list, addItems, listItems, removeItems and delete", async () => {
        const collections = client.knowledgeStoreItemCollections;
        const created = await collections.create(storeId, { name: `${run} highlights`, metadata: { team: "ops" } }, once);
        expect(created).toMatchObject({ knowledgeStoreId: storeId, name: `${run} highlights`, metadata: { team: "ops" }, memberCount: 0 });
        expect(created.id).toMatch(/^ksic_/);
        expect(created.createdAt).toBeInstanceOf(Date);
        // What the SDK knows of a collection; a gateway may add fields of its own.
        const known = ({ id, knowledgeStoreId, name, description, metadata, memberCount, createdAt, updatedAt }: TwelvelabsApi.KnowledgeStoreItemCollection) => ({
          id,
          knowledgeStoreId,
          name,
          description,
          metadata,
          memberCount,
          createdAt,
          updatedAt,
        });
        expect(known(await collections.retrieve(storeId, created.id!, once))).toEqual(known(created));
        const updated = await collections.update(storeId, created.id!, { description: "the best bits" }, once);
        expect(updated).toMatchObject({ id: created.id, description: "the best bits", metadata: { team: "ops" } });
        const second = await collections.create(storeId, { name: `${run} also` }, once);
        // Names are unique in a store.
        expect(await failureOf(collections.create(storeId, { name: `${run} also` }, once))).toMatchObject({ status: 400 });
        expect((await collections.list(storeId, { sortBy: "name", sortOption: "asc" }, once)).data.map((c) => c.id)).toEqual([second.id, created.id]);

        const added = await collections.addItems(storeId, created.id!, { itemIds: [videoItem.id!, imageItem.id!] }, once);
        expect(added).toMatchObject({ id: created.id, memberCount: 2 });
        // Adding again changes nothing.
        expect((await collections.addItems(storeId, created.id!, { itemIds: [videoItem.id!] }, once)).memberCount).toBe(2);
        const members = await collections.listItems(storeId, created.id!, {}, once);
        expect(bodyOf<{ pageInfo: TwelvelabsApi.PageInfo }>(members).pageInfo).toEqual({ limitPerPage: 10, page: 1, totalPage: 1, totalResults: 2 });
        expect(members.data.map((i) => [i.id, i.assetType])).toEqual([
          [videoItem.id, "video"],
          [imageItem.id, "image"],
        ]);
        await collections.removeItems(storeId, created.id!, { itemIds: [imageItem.id!] }, once);
        expect((await collections.retrieve(storeId, created.id!, once)).memberCount).toBe(1);
        expect((await collections.listItems(storeId, created.id!, {}, once)).data.map((i) => i.id)).toEqual([videoItem.id]);

        await collections.delete(storeId, created.id!, once);
        await collections.delete(storeId, second.id!, once);
        expect(statusOf(await refusal(collections.retrieve(storeId, created.id!, once)))).toBe(404);
        expect((await collections.list(storeId, {}, once)).data).toEqual([]);
        // The items stay.
        expect((await client.knowledgeStoreItems.retrieve(storeId, imageItem.id!, once)).status).toBe("ready");
      });
    });

    describe("responses", () => {
      it("create answers a completed response whose text cites the items: each citation marks its [n] in code points, end inclusive", async () => {
        const response = await client.responses.create({ knowledgeStoreId: storeId, input: ask("Où est l'écran bleu 💙🎬? Décris les scènes") }, once);
        expect(response).toMatchObject({ type: "response", object: "response", status: "completed", knowledgeStoreId: storeId });
        expect(response.id).toMatch(/^resp_/);
        expect(response.sessionId).toMatch(/^sess_/);
        expect(response.createdAt).toBeInstanceOf(Date);
        expect(response.incompleteDetails ?? null).toBeNull();
        expect(response.usage?.outputTokens).toBeGreaterThan(0);
        // Without include, the output is the final message alone.
        expect(response.output?.map((o) => o.type)).toEqual(["message"]);
        const message = messageOf(response)!;
        expect(message).toMatchObject({ role: "assistant", status: "completed", phase: "final_answer", id: expect.any(String) });
        const [part] = message.content!;
        expect(part?.type).toBe("output_text");
        const { text, annotations } = part!;
        expect(annotations.length).toBeGreaterThan(0);
        const starts = annotations.map((a) => a.startIndex);
        expect(starts).toEqual([...starts].sort((a, b) => a - b));
        for (const citation of annotations) expect(markerOf(text, citation)).toMatch(/^\[\d+\]$/);

        const videoCitations = annotations.filter((a) => a.type === "video_citation");
        expect(videoCitations.length).toBeGreaterThan(0);
        for (const citation of videoCitations) {
          expect(citation).toMatchObject({ itemId: videoItem.id, title: expect.any(String) });
          if (citation.startSec !== undefined) expect(0 <= citation.startSec && citation.startSec < citation.endSec! && citation.endSec! <= 9).toBe(true);
        }
        const [cited] = videoCitations;
        expect((await fetch(cited!.thumbnailUrl!)).status).toBe(200);
        expect(await (await fetch(cited!.hlsUrl!)).text()).toContain("#EXTM3U");
        expect(annotations.filter((a) => a.type === "image_citation").map((a) => a.itemId)).toEqual(expect.arrayContaining([imageItem.id]));
      });

      it("a session continues with sessionId; another store's session is a 400, an unknown session or store a 404", async () => {
        const first = await client.responses.create({ knowledgeStoreId: storeId, input: ask("first"), instructions: "Answer briefly." }, once);
        const session = first.sessionId!;
        expect(messageOf(first)?.id).toBe(`msg_${session}_0`);
        const second = await client.responses.create({ knowledgeStoreId: storeId, sessionId: session, input: ask("second") }, once);
        expect(second.sessionId).toBe(session);
        expect(second.id).not.toBe(first.id);
        expect(messageOf(second)?.id).toBe(`msg_${session}_1`);

        const elsewhere = await newStore("other");
        const mismatch = await refusal(client.responses.create({ knowledgeStoreId: elsewhere, sessionId: session, input: ask("third") }, once));
        expect(mismatch).toBeInstanceOf(TwelvelabsApi.BadRequestError);
        expect((mismatch as TwelvelabsApiError).body).toMatchObject({ code: "parameter_invalid" });
        const unknownSession = client.responses.create({ knowledgeStoreId: storeId, sessionId: "sess_01900000-0000-7000-8000-000000000000", input: ask("x") }, once);
        expect(await failureOf(unknownSession)).toEqual({ status: 404, code: "resource_not_exist" });
        const unknownStore = client.responses.create({ knowledgeStoreId: "ks_01900000-0000-7000-8000-000000000000", input: ask("x") }, once);
        expect(await failureOf(unknownStore)).toEqual({ status: 404, code: "resource_not_exist" });
      });

      it("include intermediate_outputs adds the function calls made before the final message", async () => {
        const response = await client.responses.create({ knowledgeStoreId: storeId, input: ask("What are the scenes?"), include: ["intermediate_outputs"] }, once);
        const types = response.output!.map((o) => o.type);
        expect(types.at(-1)).toBe("message");
        expect(types).toContain("function_call");
        expect(types).toContain("function_call_output");
        for (const call of response.output!.filter((o) => o.type === "function_call")) {
          expect(call).toMatchObject({ name: expect.any(String), callId: expect.any(String), status: "completed" });
          expect(() => JSON.parse(call.arguments!)).not.toThrow();
        }
        expect(response.output!.filter((o) => o.type === "function_call_output").every((o) => typeof o.output === "string")).toBe(true);
      });

      it("selections narrow the answer to the items, or the collection's members, chosen", async () => {
        const onImage = await client.responses.create({ knowledgeStoreId: storeId, input: ask("What is {{sel:0}}?"), selections: [{ kind: "item", id: imageItem.id! }] }, once);
        const imageCited = messageOf(onImage)!.content![0]!.annotations.map((a) => a.itemId);
        expect(imageCited.length).toBeGreaterThan(0);
        expect(new Set(imageCited)).toEqual(new Set([imageItem.id]));

        const picked = await client.knowledgeStoreItemCollections.create(storeId, { name: `${run} picked` }, once);
        await client.knowledgeStoreItemCollections.addItems(storeId, picked.id!, { itemIds: [videoItem.id!] }, once);
        const onCollection = await client.responses.create({ knowledgeStoreId: storeId, input: ask("What happens in {{sel:0}}?"), selections: [{ kind: "collection", id: picked.id! }] }, once);
        const collectionCited = messageOf(onCollection)!.content![0]!.annotations.map((a) => a.itemId);
        expect(collectionCited.length).toBeGreaterThan(0);
        expect(new Set(collectionCited)).toEqual(new Set([videoItem.id]));

        // A selection must be of this store, and its id must carry its kind's prefix.
        const elsewhere = await newStore("elsewhere");
        const stranger = await client.knowledgeStoreItems.create(elsewhere, { assetId: image.id! }, once);
        const choose = (selection: TwelvelabsApi.ResponseSelection) => client.responses.create({ knowledgeStoreId: storeId, input: ask("{{sel:0}}?"), selections: [selection] }, once);
        expect(await failureOf(choose({ kind: "item", id: stranger.id! }))).toEqual({ status: 400, code: "parameter_invalid" });
        expect(await failureOf(choose({ kind: "item", id: picked.id! }))).toEqual({ status: 400, code: "parameter_invalid" });
        expect(await failureOf(choose({ kind: "collection", id: videoItem.id! }))).toEqual({ status: 400, code: "parameter_invalid" });
        expect(await failureOf(choose({ kind: "collection", id: "ksic_01900000-0000-7000-8000-000000000000" }))).toEqual({ status: 404, code: "resource_not_exist" });
      });

      it("text.format json_schema answers JSON text that validates against the schema", async () => {
        const schema = {
          type: "object",
          properties: {
            filename: { type: "string" },
            duration_seconds: { type: "number", minimum: 0 },
            scenes: { type: "array", minItems: 1, items: { type: "object", properties: { start: { type: "number" }, end: { type: "number" } } } },
          },
        };
        const response = await client.responses.create(
          { knowledgeStoreId: storeId, input: ask("The video's scenes as JSON"), selections: [{ kind: "item", id: videoItem.id! }], text: { format: { type: "json_schema", name: "video_facts", schema } } },
          once,
        );
        expect(response.status).toBe("completed");
        const part = messageOf(response)!.content![0]!;
        expect(validateJsonSubset(JSON.parse(part.text), schema)).toEqual([]);
      });

      it("createStream sends the typed events in order, from response.created to response.completed, whose deltas make the final text", async () => {
        const stream = await client.responses.createStream({ knowledgeStoreId: storeId, input: ask("Décris les scènes 🎬 [DONE]") }, once);
        const events: TwelvelabsApi.ResponseStreamEvent[] = [];
        for await (const event of stream) events.push(event);

        const numbers = events.map((e) => e.sequenceNumber);
        expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
        expect(new Set(numbers).size).toBe(numbers.length);
        const types = events.map((e) => e.type);
        const deltas = types.filter((t) => t === "response.output_text.delta").length;
        expect(deltas).toBeGreaterThan(0);
        expect(types).toEqual([
          "response.created",
          "response.in_progress",
          "response.output_item.added",
          "response.content_part.added",
          ...Array<string>(deltas).fill("response.output_text.delta"),
          "response.output_text.done",
          "response.content_part.done",
          "response.output_item.done",
          "response.completed",
        ]);
        const created = events[0] as TwelvelabsApi.ResponseStreamEvent.ResponseCreated;
        expect(created.response).toMatchObject({ status: "in_progress", knowledgeStoreId: storeId, sessionId: expect.stringMatching(/^sess_/), output: [] });
        const final = (events.at(-1) as TwelvelabsApi.ResponseStreamEvent.ResponseCompleted).response!;
        expect(final).toMatchObject({ id: created.response?.id, sessionId: created.response?.sessionId, status: "completed", usage: { outputTokens: expect.any(Number) } });
        const message = messageOf(final)!;
        const part = message.content![0]!;
        const at = { itemId: message.id, outputIndex: 0, contentIndex: 0 };
        expect(events.find((e) => e.type === "response.output_item.added")).toMatchObject({ outputIndex: 0, item: { id: message.id, type: "message", status: "in_progress" } });
        expect(events.find((e) => e.type === "response.content_part.added")).toMatchObject({ ...at, part: { type: "output_text", text: "" } });
        const streamed = events.flatMap((e) => (e.type === "response.output_text.delta" ? [e.delta ?? ""] : []));
        expect(streamed.join("")).toBe(part.text);
        expect(events.find((e) => e.type === "response.output_text.done")).toMatchObject({ ...at, text: part.text });
        expect(events.find((e) => e.type === "response.content_part.done")).toMatchObject({ ...at, part });
        expect(events.find((e) => e.type === "response.output_item.done")).toMatchObject({ outputIndex: 0, item: message });
        // A "[DONE]" inside the text does not end the stream.
        expect(part.text).toContain("[DONE]");
      });

      it("createStream with intermediate_outputs streams each function call, its arguments, and its output as items before the message", async () => {
        const stream = await client.responses.createStream({ knowledgeStoreId: storeId, input: ask("What are the scenes?"), include: ["intermediate_outputs"] }, once);
        const events: TwelvelabsApi.ResponseStreamEvent[] = [];
        for await (const event of stream) events.push(event);
        const final = (events.at(-1) as TwelvelabsApi.ResponseStreamEvent.ResponseCompleted).response!;
        expect(final.status).toBe("completed");
        const added = events.filter((e): e is TwelvelabsApi.ResponseStreamEvent.ResponseOutputItemAdded => e.type === "response.output_item.added");
        expect(added.map((e) => [e.outputIndex, e.item?.type])).toEqual(final.output!.map((o, i) => [i, o.type]));
        const calls = final.output!.flatMap((o, i) => (o.type === "function_call" ? [[i, o] as const] : []));
        expect(calls.length).toBeGreaterThan(0);
        for (const [outputIndex, call] of calls) {
          expect(events.find((e) => e.type === "response.function_call_arguments.done" && e.outputIndex === outputIndex)).toMatchObject({ itemId: call.id, arguments: call.arguments });
        }
        const done = events.filter((e): e is TwelvelabsApi.ResponseStreamEvent.ResponseOutputItemDone => e.type === "response.output_item.done");
        expect(done.map((e) => e.item)).toEqual(final.output);
      });

      it("an answer the facts cannot give is a failed response, with no message; streamed, it ends with response.failed", async () => {
        const greedy = { format: { type: "json_schema" as const, name: "scenes", schema: { type: "object", properties: { scenes: { type: "array", minItems: 5, items: { type: "string" } } } } } };
        const failed = await client.responses.create({ knowledgeStoreId: storeId, input: ask("Five scenes"), text: greedy }, once);
        expect(failed).toMatchObject({ status: "failed", knowledgeStoreId: storeId });
        expect(messageOf(failed)).toBeUndefined();

        const stream = await client.responses.createStream({ knowledgeStoreId: storeId, input: ask("Five scenes"), text: greedy }, once);
        const events: TwelvelabsApi.ResponseStreamEvent[] = [];
        for await (const event of stream) events.push(event);
        expect(events.map((e) => e.type)).toEqual(["response.created", "response.in_progress", "response.failed"]);
        expect(events.at(-1)).toMatchObject({ response: { status: "failed" } });
      });
    });
  });
}
