import { readFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileServer } from "@reelay/sample-media";
import type { RunningEmulator } from "../start-emulator.ts";
import { pollUntil, rawClient, serveSampleMedia, startTestEmulator, unreachableUrl } from "../testing/emulator-fixtures.ts";
import { makeSampleImage } from "../testing/sample-image.ts";

describe("/v1.3/assets", () => {
  let emulator: RunningEmulator;
  let files: FileServer;
  let samplePath: string;
  let api: ReturnType<typeof rawClient>;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    ({ files, samplePath } = await serveSampleMedia());
    api = rawClient(emulator.url);
  });
  afterAll(async () => {
    await emulator?.close();
    await files?.close();
  });

  const urlForm = (url: string, extra: Record<string, string> = {}) => {
    const form = new FormData();
    form.set("method", "url");
    form.set("url", url);
    for (const [key, value] of Object.entries(extra)) form.set(key, value);
    return form;
  };
  const settled = (id: string) => pollUntil(() => api("GET", `/assets/${id}`), (r) => r.json?.status !== "processing");

  describe("POST with method=url", () => {
    it("answers 201 processing, then ready with user metadata kept", async () => {
      const created = await api("POST", "/assets", urlForm(files.url("sample.mp4"), { filename: "renamed.mp4", user_metadata: JSON.stringify({ team: "qa", take: 2 }) }));
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ method: "url", status: "processing", filename: "renamed.mp4", user_metadata: { team: "qa", take: 2 } });
      const ready = await settled(created.json._id);
      expect(ready.json).toMatchObject({ status: "ready", duration: 9, technical_metadata: { video_width: 320, video_height: 240, has_audio: true } });
    });

    it("when the file is not a video > ends failed with the reason", async () => {
      const created = await api("POST", "/assets", urlForm(files.url("corrupt.mp4")));
      const failed = await settled(created.json._id);
      expect(failed.json.status).toBe("failed");
      expect(failed.json.error.message).toMatch(/^the file is not a playable media file: /);
      expect(failed.json.technical_metadata).toBeUndefined();
    });

    it("when the URL answers 404 > ends failed naming the HTTP status", async () => {
      const created = await api("POST", "/assets", urlForm(files.url("missing.mp4")));
      const failed = await settled(created.json._id);
      expect(failed.json).toMatchObject({ status: "failed", error: { message: expect.stringContaining("HTTP 404") } });
    });

    it("when the host is unreachable > ends failed without naming the network error", async () => {
      const created = await api("POST", "/assets", urlForm(await unreachableUrl()));
      const failed = await settled(created.json._id);
      expect(failed.json).toMatchObject({ status: "failed", error: { message: "the URL could not be fetched" } });
    });

    it("when the url is missing or not http > answers 400 with the parameter code", async () => {
      const missing = new FormData();
      missing.set("method", "url");
      const noUrl = await api("POST", "/assets", missing);
      expect(noUrl.status).toBe(400);
      expect(noUrl.json).toEqual({ code: "parameter_not_provided", message: expect.stringContaining("url") });

      const ftp = await api("POST", "/assets", urlForm("ftp://example.com/a.mp4"));
      expect(ftp.status).toBe(400);
      expect(ftp.json.code).toBe("parameter_invalid");
    });

    it("when user_metadata is not JSON > answers 400", async () => {
      const res = await api("POST", "/assets", urlForm(files.url("sample.mp4"), { user_metadata: "{not json" }));
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ code: "parameter_invalid", message: expect.stringContaining("user_metadata") });
    });
  });

  describe("POST with method=direct", () => {
    it("keeps the uploaded bytes and probes them", async () => {
      const form = new FormData();
      form.set("method", "direct");
      form.set("file", new Blob([await readFile(samplePath)], { type: "video/mp4" }), "upload.mp4");
      const created = await api("POST", "/assets", form);
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ method: "direct", status: "processing", filename: "upload.mp4" });
      const ready = await settled(created.json._id);
      expect(ready.json).toMatchObject({ status: "ready", file_type: "video/mp4", size: (await readFile(samplePath)).length });
    });

    it("when the file part is missing > answers 400 parameter_not_provided", async () => {
      const form = new FormData();
      form.set("method", "direct");
      const res = await api("POST", "/assets", form);
      expect(res.status).toBe(400);
      expect(res.json.code).toBe("parameter_not_provided");
    });

    it("when the method is unknown or the body is not multipart > answers 400", async () => {
      const form = new FormData();
      form.set("method", "carrier-pigeon");
      expect((await api("POST", "/assets", form)).json.code).toBe("parameter_invalid");
      const json = await api("POST", "/assets", { method: "url", url: "http://example.com/a.mp4" });
      expect(json.status).toBe(400);
      expect(json.json).toEqual({ code: "parameter_invalid", message: expect.stringContaining("multipart/form-data") });
    });
  });

  it("when ffmpeg is missing > the asset ends failed instead of staying processing", async () => {
    const broken = await startTestEmulator({ ffmpegPath: "/nonexistent/ffmpeg" });
    try {
      const local = rawClient(broken.url);
      const created = await local("POST", "/assets", urlForm(files.url("sample.mp4")));
      const asset = await pollUntil(() => local("GET", `/assets/${created.json._id}`), (r) => r.json.status !== "processing");
      expect(asset.json).toMatchObject({ status: "failed", error: { message: expect.stringContaining("could not process the file") } });
    } finally {
      await broken.close();
    }
  });

  describe("GET list", () => {
    it("pages newest first, filters by filename and ids, and returns data: [] past the last page", async () => {
      const isolated = await startTestEmulator();
      const local = rawClient(isolated.url);
      try {
        const ids: string[] = [];
        for (const name of ["alpha.mp4", "beta.mp4", "gamma-alpha.mp4"]) {
          ids.push((await local("POST", "/assets", urlForm(files.url("sample.mp4"), { filename: name }))).json._id);
        }
        const page1 = await local("GET", "/assets?page_limit=2");
        expect(page1.json.data.map((a: { _id: string }) => a._id)).toEqual([ids[2], ids[1]]);
        expect(page1.json.page_info).toEqual({ limit_per_page: 2, page: 1, total_page: 2, total_results: 3 });
        const page3 = await local("GET", "/assets?page_limit=2&page=3");
        expect(page3.status).toBe(200);
        expect(page3.json.data).toEqual([]);

        const byName = await local("GET", "/assets?filename=ALPHA");
        expect(byName.json.data.map((a: { filename: string }) => a.filename)).toEqual(["gamma-alpha.mp4", "alpha.mp4"]);
        const byIds = await local("GET", `/assets?asset_ids=${ids[0]}&asset_ids=${ids[1]}`);
        expect(byIds.json.data).toHaveLength(2);

        expect((await local("GET", "/assets?page_limit=51")).status).toBe(400);
        expect((await local("GET", "/assets?page=0")).status).toBe(400);
      } finally {
        await isolated.close();
      }
    });
  });

  describe("GET and DELETE one", () => {
    it("when the id is unknown > answers 404 resource_not_exist", async () => {
      const res = await api("GET", "/assets/000000000000000000000000");
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ code: "resource_not_exist", message: expect.stringContaining("000000000000000000000000") });
      expect((await api("DELETE", "/assets/nope")).status).toBe(404);
    });

    it("deletes an asset: 204, then 404", async () => {
      const created = await api("POST", "/assets", urlForm(files.url("sample.mp4")));
      const deleted = await api("DELETE", `/assets/${created.json._id}`);
      expect(deleted.status).toBe(204);
      expect((await api("GET", `/assets/${created.json._id}`)).status).toBe(404);
    });

    it("when a knowledge store item uses the asset > answers 409 naming the item, unless force=true", async () => {
      const assetId = (await api("POST", "/assets", urlForm(files.url("sample.mp4")))).json._id;
      await settled(assetId);
      const storeId = (await api("POST", "/knowledge-stores", { name: "uses the asset" })).json._id;
      const itemId = (await api("POST", `/knowledge-stores/${storeId}/items`, { asset_id: assetId })).json._id;

      const refused = await api("DELETE", `/assets/${assetId}`);
      expect(refused.status).toBe(409);
      expect(refused.json).toEqual({ code: "asset_in_use", message: expect.stringContaining(itemId) });
      expect((await api("DELETE", `/assets/${assetId}?force=false`)).status).toBe(409);
      expect((await api("GET", `/assets/${assetId}`)).status).toBe(200);

      expect((await api("DELETE", `/assets/${assetId}?force=true`)).status).toBe(204);
      expect((await api("GET", `/assets/${assetId}`)).status).toBe(404);
      // The item keeps living on what it had already taken from the asset.
      expect((await api("GET", `/knowledge-stores/${storeId}/items/${itemId}`)).status).toBe(200);
    });

    it("when force is not a boolean > answers 400 parameter_invalid", async () => {
      const assetId = (await api("POST", "/assets", urlForm(files.url("sample.mp4")))).json._id;
      const res = await api("DELETE", `/assets/${assetId}?force=yes`);
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ code: "parameter_invalid", message: expect.stringContaining("force") });
    });
  });

  describe("GET list filtered by asset_types", () => {
    it("keeps the asked types (repeated), knowing a type before probing from the file name, and matches no document", async () => {
      const isolated = await startTestEmulator();
      const local = rawClient(isolated.url);
      try {
        const imagePath = await makeSampleImage(dirname(samplePath));
        const video = (await local("POST", "/assets", urlForm(files.url("sample.mp4")))).json._id;
        const image = (await local("POST", "/assets", urlForm(files.url(basename(imagePath))))).json._id;
        const ids = (res: { json: { data: Array<{ _id: string }> } }) => res.json.data.map((a) => a._id);

        // Still processing: the type comes from the extension.
        expect(ids(await local("GET", "/assets?asset_types=image"))).toEqual([image]);
        await pollUntil(() => local("GET", "/assets"), (r) => r.json.data.every((a: { status: string }) => a.status !== "processing"));
        expect(ids(await local("GET", "/assets?asset_types=video"))).toEqual([video]);
        expect(ids(await local("GET", "/assets?asset_types=video&asset_types=image"))).toEqual([image, video]);
        expect(ids(await local("GET", "/assets?asset_types=audio"))).toEqual([]);
        expect(ids(await local("GET", "/assets?asset_types=document"))).toEqual([]);
        expect((await local("GET", "/assets?asset_types=spreadsheet")).status).toBe(400);
      } finally {
        await isolated.close();
      }
    });
  });

  describe("/assets/{id}/user-metadata", () => {
    const withMetadata = async (metadata: Record<string, unknown>) =>
      (await api("POST", "/assets", urlForm(files.url("sample.mp4"), { user_metadata: JSON.stringify(metadata) }))).json._id as string;
    const metadataOf = async (id: string) => (await api("GET", `/assets/${id}`)).json.user_metadata;

    it("PUT replaces the metadata in full, ignoring null and empty values: 204", async () => {
      const id = await withMetadata({ keep: "no", old: 1 });
      const res = await api("PUT", `/assets/${id}/user-metadata`, { user_metadata: { team: "qa", take: 3, ratio: 1.5, live: true, skipped: "", nothing: null } });
      expect(res.status).toBe(204);
      expect(res.text).toBe("");
      expect(await metadataOf(id)).toEqual({ team: "qa", take: 3, ratio: 1.5, live: true });
    });

    it("PUT of {} and DELETE clear it: user_metadata is then absent", async () => {
      const first = await withMetadata({ a: "1" });
      expect((await api("PUT", `/assets/${first}/user-metadata`, { user_metadata: {} })).status).toBe(204);
      expect(await metadataOf(first)).toBeUndefined();
      const second = await withMetadata({ a: "1" });
      expect((await api("DELETE", `/assets/${second}/user-metadata`)).status).toBe(204);
      expect(await metadataOf(second)).toBeUndefined();
    });

    it("PATCH merges: a value sets, null deletes, an empty string is ignored, omitted keys stay", async () => {
      const id = await withMetadata({ keep: "yes", drop: "x", same: 1 });
      expect((await api("PATCH", `/assets/${id}/user-metadata`, { user_metadata: { drop: null, same: "", added: false } })).status).toBe(204);
      expect(await metadataOf(id)).toEqual({ keep: "yes", same: 1, added: false });
    });

    it("when user_metadata is missing or holds an object > answers 400; when the asset is unknown > 404", async () => {
      const id = await withMetadata({ a: "1" });
      expect((await api("PUT", `/assets/${id}/user-metadata`, {})).json.code).toBe("parameter_not_provided");
      expect((await api("PATCH", `/assets/${id}/user-metadata`, { user_metadata: { nested: { no: 1 } } })).json.code).toBe("parameter_invalid");
      expect((await api("PUT", "/assets/000000000000000000000000/user-metadata", { user_metadata: {} })).status).toBe(404);
      expect((await api("DELETE", "/assets/000000000000000000000000/user-metadata")).status).toBe(404);
    });
  });
});
