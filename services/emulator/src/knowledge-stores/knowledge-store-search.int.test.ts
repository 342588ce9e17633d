import { basename, dirname } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { FileServer } from "@reelay/sample-media";
import type { RunningEmulator } from "../start-emulator.ts";
import { pollUntil, rawClient, serveSampleMedia, startTestEmulator } from "../testing/emulator-fixtures.ts";
import { makeSampleImage } from "../testing/sample-image.ts";

describe("POST /v1.3/knowledge-stores/{id}/search", () => {
  let emulator: RunningEmulator;
  let files: FileServer;
  let api: ReturnType<typeof rawClient>;
  let storeId: string;
  let videoItem: string;
  let imageItem: string;

  const search = (body: Record<string, unknown>, store = storeId) => api("POST", `/knowledge-stores/${store}/search`, body);

  beforeAll(async () => {
    emulator = await startTestEmulator();
    let samplePath: string;
    ({ files, samplePath } = await serveSampleMedia());
    const imageName = basename(await makeSampleImage(dirname(samplePath)));
    api = rawClient(emulator.url);
    const asset = async (name: string) => {
      const form = new FormData();
      form.set("method", "url");
      form.set("url", files.url(name));
      const id = (await api("POST", "/assets", form)).json._id as string;
      await pollUntil(() => api("GET", `/assets/${id}`), (r) => r.json.status === "ready");
      return id;
    };
    storeId = (await api("POST", "/knowledge-stores", { name: "searchable" })).json._id;
    videoItem = (await api("POST", `/knowledge-stores/${storeId}/items`, { asset_id: await asset("sample.mp4"), metadata: { camera: "a" } })).json._id;
    imageItem = (await api("POST", `/knowledge-stores/${storeId}/items`, { asset_id: await asset(imageName) })).json._id;
    for (const id of [videoItem, imageItem]) await pollUntil(() => api("GET", `/knowledge-stores/${storeId}/items/${id}`), (r) => r.json.status === "ready");
  });
  afterAll(async () => {
    await emulator?.close();
    await files?.close();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("finds the scene clips where the words were spoken, when audio is searched", async () => {
    const res = await search({ query: { text: "picture blue" }, search_options: { video: { modalities: ["visual", "audio"] } } });
    expect(res.status).toBe(200);
    expect(res.json.effective_search_options).toEqual({ video: { modalities: ["visual", "audio"] } });
    expect(res.json.next_page_token).toBeUndefined();
    expect(res.json.data.length).toBeGreaterThan(0);
    const [best] = res.json.data;
    expect(best).toMatchObject({ asset_type: "video", rank: 1, item_id: videoItem, matches: [{ modalities: ["audio"], transcription: expect.stringMatching(/picture|blue/) }] });
    // Clips are the scenes between the detected cuts at 3 s and 6 s.
    const { start_sec, end_sec } = best.matches[0];
    expect([[0, 3], [3, 6], [6, 9]]).toContainEqual([start_sec, end_sec]);
  });

  it("matches visual content by default: file names and the scene's place, not speech", async () => {
    const spoken = await search({ query: { text: "picture blue" } });
    expect(spoken.json).toEqual({ data: [], effective_search_options: { video: { modalities: ["visual"] } } });
    // Every clip is a scene; the opening one matches both words and ranks first.
    const opening = await search({ query: { text: "the opening scene" } });
    expect(opening.json.data[0]).toEqual({ asset_type: "video", rank: 1, item_id: videoItem, matches: [{ start_sec: 0, end_sec: 3, modalities: ["visual"], transcription: expect.any(String) }] });
    expect(opening.json.data.map((h: { matches: Array<{ start_sec: number }> }) => h.matches[0]!.start_sec)).toEqual([0, 3, 6]);
    const last = await search({ query: { text: "last shot" } });
    expect(last.json.data[0].matches[0]).toMatchObject({ start_sec: 6, end_sec: 9 });
  });

  it("pages with page_size and next_page_token, ranks continuing across pages; a token can be replayed", async () => {
    const first = await search({ query: { text: "sample" }, page_size: 2 });
    expect(first.json.data.map((h: { rank: number }) => h.rank)).toEqual([1, 2]);
    const token = first.json.next_page_token;
    expect(token).toEqual(expect.any(String));
    const second = await search({ query: { text: "sample" }, page_size: 2, page_token: token });
    expect(second.json.data.map((h: { rank: number }) => h.rank)).toEqual([3, 4]);
    expect(second.json.next_page_token).toBeUndefined();
    expect((await search({ query: { text: "sample" }, page_size: 2, page_token: token })).json.data).toEqual(second.json.data);
  });

  it("groups the clips under their item with group_by=item, and adds metadata when asked", async () => {
    const res = await search({ query: { text: "sample" }, group_by: "item", include_metadata: true });
    expect(res.json.data).toEqual([
      {
        asset_type: "video",
        rank: 1,
        item_id: videoItem,
        metadata: { system: { duration: 9, width: 320, height: 240, size: expect.any(Number) }, user: { camera: "a" } },
        matches: [expect.objectContaining({ start_sec: 0 }), expect.objectContaining({ start_sec: 3 }), expect.objectContaining({ start_sec: 6 })],
      },
      { asset_type: "image", rank: 2, item_id: imageItem, metadata: { system: { width: 160, height: 120, size: expect.any(Number) } } },
    ]);
  });

  it("filters by asset_type and item_id, with eq or in", async () => {
    const images = await search({ query: { text: "sample" }, filter: { asset_type: { eq: "image" } } });
    expect(images.json).toEqual({ data: [{ asset_type: "image", rank: 1, item_id: imageItem }], effective_search_options: {} });
    const byId = await search({ query: { text: "sample" }, filter: { item_id: { in: [videoItem] } }, group_by: "item" });
    expect(byId.json.data.map((h: { item_id: string }) => h.item_id)).toEqual([videoItem]);
  });

  it("when the request is malformed > answers 400 naming the field", async () => {
    expect((await search({})).json).toEqual({ code: "parameter_not_provided", message: "The query parameter is required." });
    expect((await search({ query: { text: "x" }, filter: { asset_type: { eq: "video", in: ["image"] } } })).json.message).toContain("filter.asset_type");
    const imageOnlyWithVideoOptions = await search({ query: { text: "x" }, filter: { asset_type: { in: ["image"] } }, search_options: { video: { modalities: ["audio"] } } });
    expect(imageOnlyWithVideoOptions.status).toBe(400);
    expect(imageOnlyWithVideoOptions.json.message).toContain("search_options.video");
    expect((await search({ query: { text: "x" }, page_size: 51 })).status).toBe(400);
    expect((await search({ query: { text: "x" }, group_by: "asset" })).status).toBe(400);
  });

  it("when the page token is unknown > 400; when it expired > 410; when the store is unknown > 404", async () => {
    const bad = await search({ query: { text: "sample" }, page_token: "not-a-token" });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe("parameter_invalid");
    const token = (await search({ query: { text: "sample" }, page_size: 1 })).json.next_page_token;
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 31 * 60_000);
    const expired = await search({ query: { text: "sample" }, page_token: token });
    expect(expired.status).toBe(410);
    expect(expired.json.message).toContain("expired");
    expect((await search({ query: { text: "x" } }, "ks_missing")).status).toBe(404);
  });
});
