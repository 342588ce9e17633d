import { describe, expect, it } from "vitest";
import { itemRecord, withSpeech } from "../testing/answer-records.ts";
import { clipsOf, keywords, rankHits } from "./rank-clips.ts";

const both = { modalities: ["visual", "audio"] as Array<"visual" | "audio">, groupBy: "none" as const, includeMetadata: false };

describe("keywords", () => {
  it("lower-cases, drops stopwords and a plural s, keeps accented letters and digits", () => {
    expect(keywords("Where does the Picture change to BLUE screens? Scène 2")).toEqual(["picture", "change", "blue", "screen", "scène", "2"]);
  });
});

describe("clipsOf", () => {
  it("cuts a video at its scene changes and places each spoken word by its midpoint", () => {
    const clips = clipsOf(withSpeech());
    expect(clips.map((c) => [c.start, c.end, c.spoken])).toEqual([
      [0, 4, ["now", "a"]],
      [4, 10, ["blue", "screen"]],
    ]);
    expect(clips[0]!.sceneWords).toEqual(expect.arrayContaining(["scene", "first", "opening"]));
    expect(clips[1]!.sceneWords).toEqual(expect.arrayContaining(["second", "last", "ending"]));
  });
});

describe("rankHits", () => {
  it("matches speech only when audio is searched, and says which modality matched with the clip's words", () => {
    expect(rankHits([withSpeech()], { ...both, query: "blue screen", modalities: ["visual"] })).toEqual([]);
    expect(rankHits([withSpeech()], { ...both, query: "blue screen" })).toEqual([
      { asset_type: "video", rank: 1, item_id: "ksi_1", metadata: undefined, matches: [{ start_sec: 4, end_sec: 10, modalities: ["audio"], transcription: "blue screen" }] },
    ]);
  });

  it("ranks clips by how many query words they match, then by item and time", () => {
    const hits = rankHits([withSpeech({ filename: "blue-lagoon.mp4" })], { ...both, query: "blue screen" });
    // Both clips match "blue" in the file name; only the second also hears "screen".
    expect(hits.map((h) => h.asset_type === "video" && [h.rank, h.matches[0]!.start_sec, h.matches[0]!.modalities])).toEqual([
      [1, 4, ["visual", "audio"]],
      [2, 0, ["visual"]],
    ]);
  });

  it("groups clips under their item when group_by is item, best item first, best clip first", () => {
    const a = withSpeech({ id: "ksi_a", filename: "scene.mp4" });
    const b = withSpeech({ id: "ksi_b", filename: "lagoon.mp4", seq: 3 });
    const hits = rankHits([a, b], { ...both, query: "blue screen lagoon", groupBy: "item" });
    expect(hits.map((h) => [h.item_id, h.rank, h.asset_type === "video" ? h.matches.map((m) => m.start_sec) : []])).toEqual([
      ["ksi_b", 1, [4, 0]],
      ["ksi_a", 2, [4]],
    ]);
  });

  it("matches an image on its file name and attaches metadata only when asked", () => {
    const image = itemRecord({ id: "ksi_img", assetType: "image", filename: "beach-photo.png", metadata: { trip: "2026" }, facts: { ...itemRecord().facts, kind: "image", durationSec: undefined } });
    expect(rankHits([image], { ...both, query: "a photo of the beach", includeMetadata: true })).toEqual([
      { asset_type: "image", rank: 1, item_id: "ksi_img", metadata: { system: { width: 640, height: 360, size: 1000 }, user: { trip: "2026" } } },
    ]);
  });
});
