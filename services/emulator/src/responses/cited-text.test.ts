import { describe, expect, it } from "vitest";
import { CitedText } from "./cited-text.ts";
import type { CitationTarget } from "./cited-text.ts";

const target: CitationTarget = { type: "video_citation", item_id: "ksi_1", start_sec: 1, end_sec: 2, title: "clip.mp4", thumbnail_url: null, hls_url: null };

describe("CitedText", () => {
  it("numbers its markers in order and locates each one, end inclusive", () => {
    const text = new CitedText().add("a ").cite(target).add(" b ").cite(target);
    expect(text.text).toBe("a [1] b [2]");
    expect(text.annotations.map((a) => [a.start_index, a.end_index])).toEqual([
      [2, 4],
      [8, 10],
    ]);
  });

  it("counts Unicode code points: an emoji is one, an accented letter is one", () => {
    const text = new CitedText().add("Café 🎬👩‍💻 ").cite(target).add(" déjà vu 💙 ").cite(target);
    const points = [...text.text];
    for (const a of text.annotations) expect(points.slice(a.start_index, a.end_index + 1).join("")).toMatch(/^\[\d\]$/);
    // "Café " (5) + 🎬 (1) + 👩‍💻 (woman, zero-width joiner, laptop: 3) + " " (1) = 10 code points, 13 UTF-16 units.
    expect(text.annotations[0]).toMatchObject({ start_index: 10, end_index: 12 });
    expect(text.text.indexOf("[1]")).toBe(13);
  });

  it("counts a decomposed accent (e + combining acute) as the two code points it is", () => {
    const text = new CitedText().add("Cafe\u0301 ").cite(target);
    expect(text.annotations[0]).toMatchObject({ start_index: 6, end_index: 8 });
  });

  it("keeps the cited target's fields after the indexes", () => {
    const [citation] = new CitedText().cite(target).annotations;
    expect(Object.keys(citation!)).toEqual(["type", "start_index", "end_index", "item_id", "start_sec", "end_sec", "title", "thumbnail_url", "hls_url"]);
  });
});
