import { describe, expect, it } from "vitest";
import type { ItemRecord, KnowledgeStoreRecord } from "../state/emulator-state.ts";
import { composeAnswer } from "./compose-answer.ts";

const at = new Date("2026-07-01T00:00:00Z");
const store: KnowledgeStoreRecord = { id: "ks_1", name: "demo", description: undefined, metadata: undefined, enrichmentConfig: undefined, createdAt: at, updatedAt: at, seq: 1 };
const item = (overrides: Partial<ItemRecord> = {}): ItemRecord => ({
  id: "ksi_1",
  storeId: "ks_1",
  assetId: "a1",
  assetType: "video",
  status: "ready",
  metadata: undefined,
  filename: "clip.mp4",
  facts: {
    kind: "video",
    containerFormat: "mov,mp4",
    mimeType: "video/mp4",
    sizeBytes: 1000,
    durationSec: 10,
    video: [{ index: 0, codec: "h264", width: 640, height: 360, fps: 30, avgFps: 30, durationSec: 10, bitrateBps: undefined, pixelFormat: undefined, displayAspectRatio: undefined, pixelAspectRatio: undefined }],
    audio: [],
  },
  extraction: { sceneChanges: [4], silences: [], transcript: undefined, transcriptNote: "there is no audio track" },
  failure: undefined,
  createdAt: at,
  updatedAt: at,
  seq: 2,
  ...overrides,
});

describe("composeAnswer", () => {
  it("states the measured facts and cites each span it names", () => {
    const answer = composeAnswer({ store, question: "How many shots?", items: [item()] });
    expect(answer.text).toContain('You asked: "How many shots?"');
    expect(answer.text).toContain("clip.mp4: 10.0 s long, 640x360 at 30 fps, h264 video, no audio track.");
    expect(answer.text).toContain("1 scene change, at 4.0 s, so it has 2 scenes: 0.0-4.0 s and 4.0-10.0 s.");
    const spans = answer.annotations.map((a) => [answer.text.slice(a.start_index, a.end_index), a.start_sec, a.end_sec]);
    expect(spans).toEqual([
      ["[1]", 0, 10],
      ["0.0-4.0 s", 0, 4],
      ["4.0-10.0 s", 4, 10],
    ]);
  });

  it("leaves out items that are not ready and says when none are", () => {
    const answer = composeAnswer({ store, question: "Anything?", items: [item({ status: "processing", extraction: undefined }), item({ id: "ksi_2", status: "failed", extraction: undefined })] });
    expect(answer.text).toBe('The knowledge store "demo" has no indexed videos yet (1 item still being indexed, 1 item failed to index), so there is nothing to answer your question from: "Anything?".');
    expect(answer.annotations).toEqual([]);
  });

  it("quotes the transcript and points at the words of the question it heard", () => {
    const answer = composeAnswer({
      store,
      question: "When is the blue screen?",
      items: [item({ extraction: { sceneChanges: [], silences: [{ startSec: 8, endSec: 10 }], transcript: [{ startSec: 1, endSec: 7.5, text: "now a blue screen" }], transcriptNote: undefined } })],
    });
    expect(answer.text).toContain('heard "now a blue screen" (1.0-7.5 s). Silent from 8.0 to 10.0 s.');
    expect(answer.text).toContain('Words of your question heard in the speech: "blue", "screen" in clip.mp4 at 1.0-7.5 s.');
    expect(answer.text).toContain("ffmpeg found no scene change");
  });
});
