import { TwelvelabsApiClient } from "twelvelabs-js";
import type { TwelvelabsApi } from "twelvelabs-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileServer } from "@reelay/sample-media";
import type { RunningEmulator } from "./start-emulator.ts";
import { pollUntil, serveSampleMedia, startTestEmulator } from "./testing/emulator-fixtures.ts";

/** The official SDK validates every response body, so this flow proves the wire shapes. */
describe("the platform quickstart, driven by the official twelvelabs-js SDK", () => {
  let emulator: RunningEmulator;
  let files: FileServer;
  let client: TwelvelabsApiClient;
  const once = { maxRetries: 0 };

  beforeAll(async () => {
    // Stages long enough that a poll lands in each even on a loaded two-core CI machine.
    emulator = await startTestEmulator({ itemStageMs: 400 });
    ({ files } = await serveSampleMedia());
    client = new TwelvelabsApiClient({ apiKey: "x", environment: emulator.url });
  });
  afterAll(async () => {
    await emulator?.close();
    await files?.close();
  });

  let assetId: string;
  let storeId: string;
  let itemId: string;

  it("creates a URL asset that becomes ready with its real duration and resolution", async () => {
    const created = await client.assets.create({ method: "url", url: files.url("sample.mp4") }, once);
    expect(created.status).toBe("processing");
    expect(created.id).toMatch(/^[0-9a-f]{24}$/);
    assetId = created.id!;

    const asset = await pollUntil(
      () => client.assets.retrieve(assetId, once),
      (a) => a.status !== "processing",
    );
    expect(asset.status).toBe("ready");
    expect(asset.filename).toBe("sample.mp4");
    expect(asset.fileType).toBe("video/mp4");
    expect(asset.duration).toBeCloseTo(9, 1);
    expect(asset.size).toBeGreaterThan(0);
    expect(asset.createdAt).toBeInstanceOf(Date);
    expect(asset.technicalMetadata).toMatchObject({ videoWidth: 320, videoHeight: 240, videoFps: 25, videoCodec: "h264", hasAudio: true, audioCodec: "aac", totalVideoStreams: 1, totalAudioStreams: 1 });
    expect(asset.technicalMetadata?.videoStreams?.[0]).toMatchObject({ width: 320, height: 240 });
  });

  it("creates a knowledge store with a tagged description enrichment", async () => {
    const store = await client.knowledgeStores.create(
      { name: "quickstart", ingestionConfig: { enrichmentConfig: { type: "description", description: "Who speaks and what is shown" } } },
      once,
    );
    expect(store.id).toMatch(/^ks_[0-9a-f-]{36}$/);
    expect(store.ingestionConfig?.enrichmentConfig).toEqual({ type: "description", description: "Who speaks and what is shown" });
    expect(store.itemCount).toBe(0);
    storeId = store.id!;
  });

  it("adds the asset as an item that goes queued → pending → processing → ready", async () => {
    const item = await client.knowledgeStoreItems.create(storeId, { assetId, metadata: { source: "quickstart" } }, once);
    expect(item.status).toBe("queued");
    expect(item.id).toMatch(/^ksi_/);
    itemId = item.id!;

    const seen = new Set<string>([item.status!]);
    const ready = await pollUntil(
      () => client.knowledgeStoreItems.retrieve(storeId, itemId, once),
      (i) => {
        seen.add(i.status!);
        return i.status === "ready" || i.status === "failed";
      },
    );
    expect(ready.status).toBe("ready");
    expect([...seen]).toEqual(["queued", "pending", "processing", "ready"]);
    expect(ready.systemMetadata).toMatchObject({ assetType: "video", filename: "sample.mp4", width: 320, height: 240, fps: 25, codecName: "h264" });
    expect((await client.knowledgeStores.retrieve(storeId, once)).itemCount).toBe(1);
  });

  it("answers a question with facts measured from the video and a citation of the item", async () => {
    const response: TwelvelabsApi.ResponseObject = await client.responses.create(
      { knowledgeStoreId: storeId, input: [{ type: "message", role: "user", content: "Where does the picture change to blue?" }] },
      once,
    );
    expect(response.status).toBe("completed");
    expect(response.sessionId).toMatch(/^sess_/);
    expect(response.knowledgeStoreId).toBe(storeId);
    const part = response.output?.[0]?.content?.[0];
    const text = part?.text ?? "";
    expect(text).toContain("Where does the picture change to blue?");
    expect(text).toContain("9.0 s long");
    expect(text).toContain("320x240");
    expect(text).toContain("2 scene changes, at 3.0 s and 6.0 s");
    expect(text).not.toContain("source"); // item metadata stays out of the answer

    const citations = part?.annotations ?? [];
    expect(citations.length).toBeGreaterThan(0);
    for (const citation of citations) {
      expect(citation).toMatchObject({ type: "video_citation", itemId });
      // Code points, inclusive end: each citation spans its [n] marker.
      expect([...text].slice(citation.startIndex, citation.endIndex! + 1).join("")).toMatch(/^\[\d+\]$/);
    }
    const scene2 = citations.find((c) => c.startSec === 3 && c.endSec === 6);
    expect(scene2 && [...text].slice(0, scene2.endIndex! + 1).join("")).toMatch(/3\.0-6\.0 s \[\d+\]$/);
    expect(response.usage?.outputTokens).toBeGreaterThan(0);
  });

  it("streams the same kind of answer as SSE events ending with [DONE]", async () => {
    const stream = await client.responses.createStream(
      { knowledgeStoreId: storeId, input: [{ type: "message", role: "user", content: "List the scenes. [DONE] is just text here — ünïcode too." }] },
      once,
    );
    const types: string[] = [];
    let deltas = "";
    let final: TwelvelabsApi.ResponseObject | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.output_text.delta") deltas += event.delta ?? "";
      if (event.type === "response.completed") final = event.response;
    }
    expect(types[0]).toBe("response.created");
    expect(types.at(-1)).toBe("response.completed");
    const finalText = final?.output?.[0]?.content?.[0]?.text;
    expect(finalText).toContain("[DONE] is just text here — ünïcode too.");
    expect(deltas).toBe(finalText);
  });

  it("lists assets, stores and items through the SDK pagers", async () => {
    const assets = await client.assets.list({ pageLimit: 1 }, once);
    expect(assets.data.map((a) => a.id)).toContain(assetId);
    const items = await client.knowledgeStoreItems.list(storeId, { status: ["ready"] }, once);
    expect(items.data.map((i) => i.id)).toEqual([itemId]);
    const stores: string[] = [];
    for await (const store of await client.knowledgeStores.list({ pageLimit: 1 }, once)) stores.push(store.id!);
    expect(stores).toContain(storeId);
  });
});
