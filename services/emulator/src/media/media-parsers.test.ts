import { describe, expect, it } from "vitest";
import { parseSceneChanges } from "./scenes.ts";
import { parseSilences } from "./silences.ts";
import { parseTranscript } from "./transcribe.ts";

describe("parseSceneChanges", () => {
  it("reads lavfi.scd.time values, sorted and without duplicates or zero", () => {
    const out = "frame:1 pts:76800 pts_time:6\nlavfi.scd.score=20.7\nlavfi.scd.time=6\nframe:0 pts_time:3\nlavfi.scd.time=3\nlavfi.scd.time=3\nlavfi.scd.time=0\n";
    expect(parseSceneChanges(out)).toEqual([3, 6]);
  });
});

describe("parseSilences", () => {
  it("pairs starts with ends, and closes a silence still open at the end of the stream", () => {
    const out = "lavfi.silence_start=1.2\nlavfi.silence_end=2.5\nlavfi.silence_duration=1.3\nlavfi.silence_start=5.70283\n";
    expect(parseSilences(out, 9)).toEqual([
      { startSec: 1.2, endSec: 2.5 },
      { startSec: 5.7, endSec: 9 },
    ]);
  });
});

describe("parseTranscript", () => {
  it("makes one segment per recognised utterance, starting where the previous ended", () => {
    const out = "frame:10 pts:1 pts_time:2.5\nlavfi.asr.text=hello there\nframe:20 pts:2 pts_time:6.22194\nlavfi.asr.text=blue screen\nframe:21 pts_time:7\nlavfi.asr.text=\n";
    expect(parseTranscript(out)).toEqual([
      { startSec: 0, endSec: 2.5, text: "hello there" },
      { startSec: 2.5, endSec: 6.22, text: "blue screen" },
    ]);
  });
});
