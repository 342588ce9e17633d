import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { MultipartUploadWrapper, TwelvelabsApi, TwelvelabsApiClient, TwelvelabsApiError } from "twelvelabs-js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { FileServer } from "@reelay/sample-media";
import type { RunningEmulator } from "./start-emulator.ts";
import { pollUntil, serveSampleMedia, startTestEmulator } from "./testing/emulator-fixtures.ts";
import { makeSampleImage } from "./testing/sample-image.ts";

/** 20 chunks for the 80 kB sample: more than the 10 URLs a session starts with. */
const CHUNK = 4 * 1024;

/**
 * Every asset, multipart, knowledge store, item and item collection operation of twelvelabs-js
 * 1.3.4 except Responses, driven through the official SDK, which validates each answer's shape.
 */
describe("the platform's operations, driven by the official twelvelabs-js SDK", () => {
  let emulator: RunningEmulator;
  let files: FileServer;
  let client: TwelvelabsApiClient;
  let samplePath: string;
  let imageName: string;
  const once = { maxRetries: 0 };

  beforeAll(async () => {
    emulator = await startTestEmulator({ multipartChunkBytes: CHUNK });
    ({ files, samplePath } = await serveSampleMedia());
    imageName = basename(await makeSampleImage(dirname(samplePath)));
    client = new TwelvelabsApiClient({ apiKey: "x", environment: emulator.url });
  });
  afterAll(async () => {
    await emulator?.close();
    await files?.close();
  });

  const readyAsset = async (name: string, extra: Partial<TwelvelabsApi.AssetsCreateRequest> = {}) => {
    const created = await client.assets.create({ method: "url", url: files.url(name), ...extra }, once);
    return pollUntil(() => client.assets.retrieve(created.id!, once), (a) => a.status !== "processing");
  };
  const readyItem = async (storeId: string, assetId: string) => {
    const item = await client.knowledgeStoreItems.create(storeId, { assetId }, once);
    return pollUntil(() => client.knowledgeStoreItems.retrieve(storeId, item.id!, once), (i) => i.status === "ready" || i.status === "failed");
  };
  const statusOf = (error: unknown) => (error instanceof TwelvelabsApiError ? error.statusCode : error);

  describe("assets", () => {
    it("retrieve reports the thumbnail and HLS stream it produced, at URLs that serve them", async () => {
      const asset = await readyAsset("sample.mp4", { enableHls: true, enableThumbnail: true });
      const done = await pollUntil(() => client.assets.retrieve(asset.id!, once), (a) => a.hls?.status === "ready" && a.thumbnail?.status === "ready");
      expect(done.hls?.manifestUrl).toMatch(/\/media\/hls\/[0-9a-f]{24}\/index\.m3u8$/);
      expect(done.thumbnail?.representativeUrl).toMatch(/\/media\/thumbnails\/[0-9a-f]{24}\.jpg$/);
      expect((await fetch(done.thumbnail!.representativeUrl!)).status).toBe(200);
      expect(await (await fetch(done.hls!.manifestUrl!)).text()).toContain("#EXTM3U");
    });

    it("list filters by assetTypes", async () => {
      const image = await readyAsset(imageName);
      const images = await client.assets.list({ assetTypes: ["image"], pageLimit: 50 }, once);
      expect(images.data.map((a) => a.id)).toContain(image.id);
      expect(images.data.every((a) => a.technicalMetadata?.imageWidth !== undefined)).toBe(true);
      expect((await client.assets.list({ assetTypes: "document" }, once)).data).toEqual([]);
    });

    it("replaceUserMetadata, updateUserMetadata and deleteUserMetadata change what retrieve shows", async () => {
      const asset = await readyAsset("sample.mp4");
      await client.assets.replaceUserMetadata(asset.id!, { userMetadata: { category: "recentlyAdded", batchNumber: 5, rating: 9.3, needsReview: true } }, once);
      expect((await client.assets.retrieve(asset.id!, once)).userMetadata).toEqual({ category: "recentlyAdded", batchNumber: 5, rating: 9.3, needsReview: true });
      await client.assets.updateUserMetadata(asset.id!, { userMetadata: { needsReview: null, rating: 10 } }, once);
      expect((await client.assets.retrieve(asset.id!, once)).userMetadata).toEqual({ category: "recentlyAdded", batchNumber: 5, rating: 10 });
      await client.assets.deleteUserMetadata(asset.id!, once);
      expect((await client.assets.retrieve(asset.id!, once)).userMetadata).toBeUndefined();
    });

    it("retrieveTranscription goes to ready with the segmentations asked for", async () => {
      const asset = await readyAsset("sample.mp4");
      const transcription = await pollUntil(
        () => client.assets.retrieveTranscription(asset.id!, { include: ["words", "utterances"] }, once),
        (t) => t.status === "ready" || t.status === "failed",
      );
      expect(transcription.status).toBe("ready");
      expect(transcription.words?.map((w) => w.value)).toContain("picture");
      expect(transcription.utterances?.[0]).toMatchObject({ start: expect.any(Number), end: expect.any(Number), value: expect.stringContaining("blue") });
      expect(transcription.sentences).toBeUndefined();
    });

    it("delete is refused with a ConflictError while an item uses the asset, and succeeds with force", async () => {
      const asset = await readyAsset("sample.mp4");
      const store = await client.knowledgeStores.create({ name: "holds the asset" }, once);
      await client.knowledgeStoreItems.create(store.id!, { assetId: asset.id! }, once);
      const refused = await client.assets.delete(asset.id!, {}, once).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(TwelvelabsApi.ConflictError);
      await client.assets.delete(asset.id!, { force: true }, once);
      expect(statusOf(await client.assets.retrieve(asset.id!, once).catch((error: unknown) => error))).toBe(404);
    });
  });

  describe("multipart uploads", () => {
    it("the SDK's uploadFile helper uploads a file in chunks; the asset then becomes ready like a direct upload", async () => {
      const uploader = new MultipartUploadWrapper({ apiKey: "x", environment: emulator.url });
      const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
      const progress: number[] = [];
      try {
        const result = await uploader.uploadFile(samplePath, { filename: "via-helper.mp4", batchSize: 10, progressCallback: (p) => progress.push(p.completedChunks) });
        expect(result.assetUrl).toBe(`${emulator.url}/assets/${result.assetId}`);
        expect(progress).toEqual([10, 20]);
        const asset = await pollUntil(() => client.assets.retrieve(result.assetId, once), (a) => a.status !== "processing");
        expect(asset).toMatchObject({ status: "ready", method: "multipart", filename: "via-helper.mp4", size: (await readFile(samplePath)).length, duration: 9 });
      } finally {
        log.mockRestore();
      }
    });

    it("create, getAdditionalPresignedUrls, reportChunkBatch, getStatus, listIncompleteUploads and waitForUploadCompletion", async () => {
      const bytes = await readFile(samplePath);
      const session = await client.multipartUpload.create({ filename: "by-hand.mp4", type: "video", totalSize: bytes.length }, once);
      expect(session).toMatchObject({ chunkSize: CHUNK, totalChunks: 20, uploadHeaders: {} });
      expect(session.expiresAt).toBeInstanceOf(Date);
      expect(session.uploadUrls?.map((u) => u.chunkIndex)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const listed = await client.multipartUpload.listIncompleteUploads({}, once);
      expect(listed.data.find((u) => u.uploadId === session.uploadId)).toMatchObject({ status: "active", totalChunks: 20, chunkSize: CHUNK });

      const more = await client.multipartUpload.getAdditionalPresignedUrls(session.uploadId!, { start: 11, count: 10 }, once);
      expect(more).toMatchObject({ uploadId: session.uploadId, startIndex: 11, count: 10 });
      expect(more.generatedAt).toBeInstanceOf(Date);
      const urls = [...session.uploadUrls!, ...more.uploadUrls!];
      const completed: TwelvelabsApi.CompletedChunk[] = [];
      for (const { chunkIndex, url } of urls) {
        const chunk = bytes.subarray((chunkIndex! - 1) * CHUNK, chunkIndex! * CHUNK);
        const res = await fetch(url!, { method: "PUT", body: chunk });
        expect(res.headers.get("etag")).toBe(`"${createHash("md5").update(chunk).digest("hex")}"`);
        completed.push({ chunkIndex: chunkIndex!, proof: res.headers.get("etag")!.replace(/"/g, ""), proofType: "etag", chunkSize: chunk.length });
      }

      const firstHalf = await client.multipartUpload.reportChunkBatch(session.uploadId!, { completedChunks: completed.slice(0, 10) }, once);
      expect(firstHalf).toEqual({ assetId: session.assetId, processedChunks: 10, duplicateChunks: 0, totalCompleted: 10 });
      const status = await client.multipartUpload.getStatus(session.uploadId!, { pageLimit: 5 }, once);
      expect(status.data.map((c) => [c.index, c.status])).toEqual([
        [1, "completed"],
        [2, "completed"],
        [3, "completed"],
        [4, "completed"],
        [5, "completed"],
      ]);
      const chunkStates: string[] = [];
      for await (const chunk of status) chunkStates.push(chunk.status!);
      expect(chunkStates).toHaveLength(20);
      expect(chunkStates.filter((s) => s === "pending")).toHaveLength(10);

      const rest = await client.multipartUpload.reportChunkBatch(session.uploadId!, { completedChunks: completed.slice(9) }, once);
      expect(rest).toMatchObject({ processedChunks: 10, duplicateChunks: 1, totalCompleted: 20, url: expect.stringContaining(session.assetId!) });
      const uploader = new MultipartUploadWrapper({ apiKey: "x", environment: emulator.url });
      expect(await uploader.waitForUploadCompletion(session.uploadId!, { sleepInterval: 0.05, maxWaitTime: 10 })).toEqual({ status: "completed", completedChunks: 20, totalChunks: 20 });
      expect((await client.multipartUpload.listIncompleteUploads({}, once)).data.map((u) => u.uploadId)).not.toContain(session.uploadId);
      const asset = await pollUntil(() => client.assets.retrieve(session.assetId!, once), (a) => a.status !== "processing");
      expect(asset.status).toBe("ready");
    });
  });

  describe("knowledge stores, items and item collections", () => {
    let storeId: string;
    let videoItemId: string;
    let imageItemId: string;

    beforeAll(async () => {
      storeId = (await client.knowledgeStores.create({ name: "sdk store", metadata: { a: "1" } }, once)).id!;
      const video = await readyAsset("sample.mp4");
      const image = await readyAsset(imageName);
      const videoItem = await readyItem(storeId, video.id!);
      // No assetType given: the item takes the image asset's type.
      const imageItem = await readyItem(storeId, image.id!);
      expect([videoItem.assetType, imageItem.assetType]).toEqual(["video", "image"]);
      [videoItemId, imageItemId] = [videoItem.id!, imageItem.id!];
    });

    it("update renames the store and replaces its metadata", async () => {
      const updated = await client.knowledgeStores.update(storeId, { name: "renamed", metadata: { b: "2" } }, once);
      expect(updated).toMatchObject({ id: storeId, name: "renamed", metadata: { b: "2" }, itemCount: 2 });
    });

    it("search finds clips by speech and pages with nextPageToken", async () => {
      const heard = await client.knowledgeStores.search(storeId, { query: { text: "blue picture" }, searchOptions: { video: { modalities: ["visual", "audio"] } }, groupBy: "item", includeMetadata: true }, once);
      expect(heard.effectiveSearchOptions).toEqual({ video: { modalities: ["visual", "audio"] } });
      const [hit] = heard.data;
      expect(hit).toMatchObject({ assetType: "video", rank: 1, itemId: videoItemId, metadata: { system: { duration: 9, width: 320, height: 240 } } });
      expect(hit?.assetType === "video" && hit.matches[0]).toMatchObject({ modalities: ["audio"], transcription: expect.any(String) });

      const first = await client.knowledgeStores.search(storeId, { query: { text: "sample" }, pageSize: 3 }, once);
      expect(first.data).toHaveLength(3);
      const next = await client.knowledgeStores.search(storeId, { query: { text: "sample" }, pageSize: 3, pageToken: first.nextPageToken }, once);
      expect(next.data.map((h) => h.rank)).toEqual([4]);
      expect(next.data[0]).toMatchObject({ assetType: "image", itemId: imageItemId });
      expect(next.nextPageToken).toBeUndefined();
    });

    it("item collections: create, retrieve, update, list, addItems, listItems, removeItems, delete", async () => {
      const collections = client.knowledgeStoreItemCollections;
      const created = await collections.create(storeId, { name: "Q1 highlights", metadata: { team: "ops" } }, once);
      expect(created).toMatchObject({ knowledgeStoreId: storeId, name: "Q1 highlights", memberCount: 0 });
      expect(created.id).toMatch(/^ksic_/);
      expect(created.createdAt).toBeInstanceOf(Date);
      expect(await collections.retrieve(storeId, created.id!, once)).toEqual(created);
      const updated = await collections.update(storeId, created.id!, { description: "the best bits" }, once);
      expect(updated).toMatchObject({ description: "the best bits", metadata: { team: "ops" } });
      expect((await collections.list(storeId, { sortBy: "name", sortOption: "asc" }, once)).data.map((c) => c.id)).toEqual([created.id]);

      const added = await collections.addItems(storeId, created.id!, { itemIds: [videoItemId, imageItemId] }, once);
      expect(added.memberCount).toBe(2);
      const members = await collections.listItems(storeId, created.id!, {}, once);
      expect(members.data.map((i) => [i.id, i.assetType])).toEqual([
        [videoItemId, "video"],
        [imageItemId, "image"],
      ]);
      await collections.removeItems(storeId, created.id!, { itemIds: [imageItemId] }, once);
      expect((await collections.retrieve(storeId, created.id!, once)).memberCount).toBe(1);
      await collections.delete(storeId, created.id!, once);
      expect(statusOf(await collections.retrieve(storeId, created.id!, once).catch((error: unknown) => error))).toBe(404);
    });

    it("deleting an item, then the store, makes them answer 404", async () => {
      await client.knowledgeStoreItems.delete(storeId, imageItemId, once);
      expect(statusOf(await client.knowledgeStoreItems.retrieve(storeId, imageItemId, once).catch((error: unknown) => error))).toBe(404);
      await client.knowledgeStores.delete(storeId, once);
      expect(statusOf(await client.knowledgeStores.retrieve(storeId, once).catch((error: unknown) => error))).toBe(404);
      expect(statusOf(await client.knowledgeStoreItems.retrieve(storeId, videoItemId, once).catch((error: unknown) => error))).toBe(404);
    });
  });
});
