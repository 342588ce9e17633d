import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileServer } from "@reelay/sample-media";
import type { RunningEmulator } from "../start-emulator.ts";
import { pollUntil, rawClient, serveSampleMedia, startTestEmulator } from "../testing/emulator-fixtures.ts";
import { makeSampleImage } from "../testing/sample-image.ts";

describe("/v1.3/knowledge-stores/{id}/items", () => {
  let emulator: RunningEmulator;
  let files: FileServer;
  let api: ReturnType<typeof rawClient>;
  let readyAssetId: string;
  let samplePath: string;

  const createAsset = async (name: string) => {
    const form = new FormData();
    form.set("method", "url");
    form.set("url", files.url(name));
    return (await api("POST", "/assets", form)).json._id as string;
  };
  const createStore = async (name = "items") => (await api("POST", "/knowledge-stores", { name })).json._id as string;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    ({ files, samplePath } = await serveSampleMedia());
    api = rawClient(emulator.url);
    readyAssetId = await createAsset("sample.mp4");
    await pollUntil(() => api("GET", `/assets/${readyAssetId}`), (r) => r.json.status === "ready");
  });
  afterAll(async () => {
    await emulator?.close();
    await files?.close();
  });

  it("answers 202 with a queued item carrying system metadata", async () => {
    const storeId = await createStore();
    const res = await api("POST", `/knowledge-stores/${storeId}/items`, { asset_id: readyAssetId });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({
      _id: expect.stringMatching(/^ksi_/),
      asset_id: readyAssetId,
      asset_type: "video",
      status: "queued",
      system_metadata: { asset_type: "video", filename: "sample.mp4", duration: 9, fps: 25, width: 320, height: 240, codec_name: "h264" },
    });
  });

  it("derives asset_type from the asset when it is not given: an image becomes an image item", async () => {
    const imageName = basename(await makeSampleImage(dirname(samplePath)));
    const imageAsset = await createAsset(imageName);
    await pollUntil(() => api("GET", `/assets/${imageAsset}`), (r) => r.json.status === "ready");
    const storeId = await createStore();
    const res = await api("POST", `/knowledge-stores/${storeId}/items`, { asset_id: imageAsset });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ asset_type: "image", system_metadata: { asset_type: "image", width: 160, height: 120, codec_name: "png" } });
    expect(res.json.system_metadata.duration).toBeUndefined();
    const ready = await pollUntil(() => api("GET", `/knowledge-stores/${storeId}/items/${res.json._id}`), (r) => r.json.status === "ready" || r.json.status === "failed");
    expect(ready.json.status).toBe("ready");

    const mislabelled = await api("POST", `/knowledge-stores/${storeId}/items`, { asset_id: imageAsset, asset_type: "video" });
    expect(mislabelled.status).toBe(400);
    expect(mislabelled.json.message).toBe(`The asset_type parameter is invalid: asset ${imageAsset} is an image, not a video.`);
  });

  it("when the asset is still processing > answers 400", async () => {
    const storeId = await createStore();
    const processing = await createAsset("sample.mp4");
    const res = await api("POST", `/knowledge-stores/${storeId}/items`, { asset_id: processing });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: "parameter_invalid", message: expect.stringContaining("processing") });
  });

  it("when the asset failed > answers 400", async () => {
    const storeId = await createStore();
    const corrupt = await createAsset("corrupt.mp4");
    await pollUntil(() => api("GET", `/assets/${corrupt}`), (r) => r.json.status === "failed");
    const res = await api("POST", `/knowledge-stores/${storeId}/items`, { asset_id: corrupt });
    expect(res.status).toBe(400);
  });

  it("when the asset or the store does not exist > answers 404", async () => {
    const storeId = await createStore();
    expect((await api("POST", `/knowledge-stores/${storeId}/items`, { asset_id: "0123456789abcdef01234567" })).status).toBe(404);
    expect((await api("POST", "/knowledge-stores/ks_missing/items", { asset_id: readyAssetId })).status).toBe(404);
    expect((await api("GET", `/knowledge-stores/${storeId}/items/ksi_missing`)).status).toBe(404);
  });

  it("when asset_id is missing > answers 400 parameter_not_provided", async () => {
    const storeId = await createStore();
    const res = await api("POST", `/knowledge-stores/${storeId}/items`, {});
    expect(res.json).toEqual({ code: "parameter_not_provided", message: "The asset_id parameter is required." });
  });

  it("filters by repeated status, pages, counts live, and deletes", async () => {
    const storeId = await createStore();
    const first = (await api("POST", `/knowledge-stores/${storeId}/items`, { asset_id: readyAssetId })).json._id;
    await pollUntil(() => api("GET", `/knowledge-stores/${storeId}/items/${first}`), (r) => r.json.status === "ready");
    const second = (await api("POST", `/knowledge-stores/${storeId}/items`, { asset_id: readyAssetId })).json._id;

    const ready = await api("GET", `/knowledge-stores/${storeId}/items?status=ready`);
    expect(ready.json.data.map((i: { _id: string }) => i._id)).toEqual([first]);
    const either = await api("GET", `/knowledge-stores/${storeId}/items?status=ready&status=queued&status=pending`);
    expect(either.json.data.map((i: { _id: string }) => i._id).sort()).toEqual([first, second].sort());
    expect((await api("GET", `/knowledge-stores/${storeId}/items?status=done`)).status).toBe(400);

    const page2 = await api("GET", `/knowledge-stores/${storeId}/items?page_limit=1&page=2`);
    expect(page2.json.data.map((i: { _id: string }) => i._id)).toEqual([first]);
    expect((await api("GET", `/knowledge-stores/${storeId}/items?page_limit=1&page=3`)).json.data).toEqual([]);
    expect((await api("GET", `/knowledge-stores/${storeId}`)).json.item_count).toBe(2);

    expect((await api("DELETE", `/knowledge-stores/${storeId}/items/${second}`)).status).toBe(204);
    expect((await api("GET", `/knowledge-stores/${storeId}`)).json.item_count).toBe(1);
  });

  it("deleting the store removes its items", async () => {
    const storeId = await createStore();
    const itemId = (await api("POST", `/knowledge-stores/${storeId}/items`, { asset_id: readyAssetId })).json._id;
    await api("DELETE", `/knowledge-stores/${storeId}`);
    expect((await api("GET", `/knowledge-stores/${storeId}/items/${itemId}`)).status).toBe(404);
  });

  it("when the scene detection step fails > the item ends failed with the reason", async () => {
    // A real ffmpeg behind a wrapper that fails only the scdet run: probing and decoding still work.
    const dir = await mkdtemp(join(tmpdir(), "reelay-ffmpeg-wrapper-"));
    const wrapper = join(dir, "ffmpeg");
    await writeFile(wrapper, '#!/bin/sh\ncase "$*" in *scdet*) echo "simulated scdet crash" >&2; exit 1;; esac\nexec ffmpeg "$@"\n');
    await chmod(wrapper, 0o755);
    const broken = await startTestEmulator({ ffmpegPath: wrapper });
    try {
      const local = rawClient(broken.url);
      const form = new FormData();
      form.set("method", "url");
      form.set("url", files.url("sample.mp4"));
      const assetId = (await local("POST", "/assets", form)).json._id;
      await pollUntil(() => local("GET", `/assets/${assetId}`), (r) => r.json.status === "ready");
      const storeId = (await local("POST", "/knowledge-stores", { name: "broken" })).json._id;
      const itemId = (await local("POST", `/knowledge-stores/${storeId}/items`, { asset_id: assetId })).json._id;
      const item = await pollUntil(() => local("GET", `/knowledge-stores/${storeId}/items/${itemId}`), (r) => r.json.status === "ready" || r.json.status === "failed");
      expect(item.json.status).toBe("failed");
      expect(item.json.error.message).toBe("indexing failed: scene detection failed: simulated scdet crash");
    } finally {
      await broken.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("when the asset is force-deleted before indexing > the item ends failed", async () => {
    const isolated = await startTestEmulator({ itemStageMs: 300 });
    try {
      const local = rawClient(isolated.url);
      const form = new FormData();
      form.set("method", "url");
      form.set("url", files.url("sample.mp4"));
      const assetId = (await local("POST", "/assets", form)).json._id;
      await pollUntil(() => local("GET", `/assets/${assetId}`), (r) => r.json.status === "ready");
      const storeId = (await local("POST", "/knowledge-stores", { name: "orphan" })).json._id;
      const itemId = (await local("POST", `/knowledge-stores/${storeId}/items`, { asset_id: assetId })).json._id;
      expect((await local("DELETE", `/assets/${assetId}`)).status).toBe(409);
      expect((await local("DELETE", `/assets/${assetId}?force=true`)).status).toBe(204);
      const item = await pollUntil(() => local("GET", `/knowledge-stores/${storeId}/items/${itemId}`), (r) => r.json.status === "failed" || r.json.status === "ready");
      expect(item.json).toMatchObject({ status: "failed", error: { message: expect.stringContaining("deleted") } });
    } finally {
      await isolated.close();
    }
  });
});
