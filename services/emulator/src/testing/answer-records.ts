import type { ItemRecord, KnowledgeStoreRecord } from "../state/emulator-state.ts";

const at = new Date("2026-07-01T00:00:00Z");

/** A knowledge store record as the emulator's state holds it, for answer-composing unit tests. */
export const storeRecord = (overrides: Partial<KnowledgeStoreRecord> = {}): KnowledgeStoreRecord => ({
  id: "ks_1",
  name: "demo",
  description: undefined,
  metadata: undefined,
  enrichmentConfig: undefined,
  createdAt: at,
  updatedAt: at,
  seq: 1,
  ...overrides,
});

/** A ready 10 s, 640x360 silent video item with one scene cut at 4 s; override what a test is about. */
export const itemRecord = (overrides: Partial<ItemRecord> = {}): ItemRecord => ({
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

/** Extraction of a video with speech: "now a blue screen" at 1.0-7.5 s, silence 8-10 s. */
export const withSpeech = (overrides: Partial<ItemRecord> = {}): ItemRecord =>
  itemRecord({
    extraction: { sceneChanges: [4], silences: [{ startSec: 8, endSec: 10 }], transcript: [{ startSec: 1, endSec: 7.5, text: "now a blue screen" }], transcriptNote: undefined },
    ...overrides,
  });
