import { describe, expect, it } from "vitest";
import { itemRecord, storeRecord, withSpeech } from "../testing/answer-records.ts";
import { AnswerFailure } from "./answer-failure.ts";
import { composeAnswer } from "./compose-answer.ts";
import type { ResponseAnnotation } from "@reelay/contract";

const store = storeRecord();
/** What a citation points at, read the way the SDK documents: code points, inclusive end. */
const marker = (text: string, a: ResponseAnnotation) => [...text].slice(a.start_index, a.end_index + 1).join("");

describe("composeAnswer", () => {
  it("states the measured facts and cites them with numbered markers", () => {
    const answer = composeAnswer({ store, question: "How many shots?", items: [itemRecord()] });
    expect(answer.text).toContain('You asked: "How many shots?"');
    expect(answer.text).toContain("[1] clip.mp4: 10.0 s long, 640x360 at 30 fps, h264 video, no audio track.");
    expect(answer.text).toContain("1 scene change, at 4.0 s, so it has 2 scenes: 0.0-4.0 s [2] and 4.0-10.0 s [3].");
    expect(answer.annotations.map((a) => [marker(answer.text, a), a.start_sec, a.end_sec])).toEqual([
      ["[1]", 0, 10],
      ["[2]", 0, 4],
      ["[3]", 4, 10],
    ]);
  });

  it("cites with every field the SDK says is always present, null when the emulator has no value", () => {
    const [citation] = composeAnswer({ store, question: "q", items: [itemRecord()] }).annotations;
    expect(citation).toEqual({ type: "video_citation", start_index: expect.any(Number), end_index: expect.any(Number), item_id: "ksi_1", start_sec: 0, end_sec: 10, title: "clip.mp4", thumbnail_url: null, hls_url: null });
  });

  it("cites an image item as an image_citation without a time range or HLS stream", () => {
    const image = itemRecord({ assetType: "image", filename: "still.png", facts: { ...itemRecord().facts, kind: "image", durationSec: undefined } });
    const answer = composeAnswer({ store, question: "q", items: [image] });
    expect(answer.text).toContain("[1] still.png: an image, 640x360 (h264).");
    expect(answer.annotations).toEqual([{ type: "image_citation", start_index: expect.any(Number), end_index: expect.any(Number), item_id: "ksi_1", title: "still.png", thumbnail_url: null, hls_url: null }]);
  });

  it("counts marker positions in code points when the question holds emoji and accents", () => {
    const question = "Où est la scène 🎬 avec l'écran bleu 💙?";
    const answer = composeAnswer({ store, question, items: [itemRecord()] });
    for (const citation of answer.annotations) expect(marker(answer.text, citation)).toMatch(/^\[\d+\]$/);
    // In UTF-16 units the same markers sit two places later (one per astral character before them).
    const first = answer.annotations[0]!;
    expect(answer.text.slice(first.start_index + 2, first.end_index + 3)).toBe("[1]");
  });

  it("leaves item metadata out of the prose", () => {
    const answer = composeAnswer({ store, question: "q", items: [itemRecord({ metadata: { reelay_id: "ksi_reelay", source: "camera-7" } })] });
    expect(answer.text).not.toMatch(/reelay_id|ksi_reelay|source|camera-7|item metadata/i);
  });

  it("leaves out items that are not ready and says when none are", () => {
    const answer = composeAnswer({ store, question: "Anything?", items: [itemRecord({ status: "processing", extraction: undefined }), itemRecord({ id: "ksi_2", status: "failed", extraction: undefined })] });
    expect(answer.text).toBe('The knowledge store "demo" has no indexed videos yet (1 item still being indexed, 1 item failed to index), so there is nothing to answer your question from: "Anything?".');
    expect(answer.annotations).toEqual([]);
  });

  it("fails when every item to answer from failed to index, giving their reasons", () => {
    const failed = [itemRecord({ status: "failed", extraction: undefined, failure: "indexing failed: no video stream" }), itemRecord({ id: "ksi_2", status: "failed", extraction: undefined })];
    const attempt = () => composeAnswer({ store, question: "Anything?", items: failed });
    expect(attempt).toThrow(AnswerFailure);
    expect(attempt).toThrow("All 2 items this response could draw on failed to index (ksi_1: indexing failed: no video stream; ksi_2: indexing failed)");
  });

  it("quotes the transcript and points at the words of the question it heard", () => {
    const answer = composeAnswer({ store, question: "When is the blue screen?", items: [withSpeech()] });
    expect(answer.text).toContain('heard "now a blue screen" (1.0-7.5 s) [4]. Silent from 8.0 to 10.0 s.');
    expect(answer.text).toContain('Words of your question heard in the speech: "blue", "screen" in clip.mp4 at 1.0-7.5 s [5].');
    expect(answer.annotations.slice(3).map((a) => [marker(answer.text, a), a.start_sec, a.end_sec])).toEqual([
      ["[4]", 1, 7.5],
      ["[5]", 1, 7.5],
    ]);
  });
});
