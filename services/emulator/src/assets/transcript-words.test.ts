import { describe, expect, it } from "vitest";
import { wordsOf } from "./transcript-words.ts";

describe("wordsOf", () => {
  it("shares each utterance's time among its words in proportion to their length", () => {
    expect(wordsOf([{ startSec: 1, endSec: 3, text: "a bbb" }])).toEqual([
      { start: 1, end: 1.67, value: "a" },
      { start: 1.67, end: 3, value: "bbb" },
    ]);
  });

  it("keeps utterances apart and ignores extra whitespace", () => {
    const words = wordsOf([
      { startSec: 0, endSec: 1, text: "  hello  " },
      { startSec: 2, endSec: 2.5, text: "blue screen" },
    ]);
    expect(words.map((w) => [w.value, w.start, w.end])).toEqual([
      ["hello", 0, 1],
      ["blue", 2, 2.21],
      ["screen", 2.21, 2.5],
    ]);
  });

  it("gives a zero-length utterance zero-length words instead of failing", () => {
    expect(wordsOf([{ startSec: 4, endSec: 4, text: "x y" }])).toEqual([
      { start: 4, end: 4, value: "x" },
      { start: 4, end: 4, value: "y" },
    ]);
  });
});
