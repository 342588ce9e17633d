import { describe, expect, it } from "vitest";
import { itemRecord, storeRecord, withSpeech } from "../testing/answer-records.ts";
import { validateJsonSubset } from "../testing/validate-json-subset.ts";
import { AnswerFailure } from "./answer-failure.ts";
import { composeStructuredAnswer } from "./compose-structured-answer.ts";
import type { JsonSchema } from "./json-schema-subset.ts";

const store = storeRecord();

function answer(schema: JsonSchema, items = [withSpeech()], name = "video_facts"): unknown {
  const text = composeStructuredAnswer({ store, question: "Describe the video", items }, { type: "json_schema", name, description: undefined, schema, strict: undefined });
  const value: unknown = JSON.parse(text);
  expect(validateJsonSubset(value, schema as Record<string, unknown>)).toEqual([]);
  return value;
}

describe("composeStructuredAnswer", () => {
  it("fills a typical summary schema from the measured facts, valid against the schema", () => {
    const schema: JsonSchema = {
      type: "object",
      properties: {
        filename: { type: "string" },
        duration_seconds: { type: "number", description: "Length of the video" },
        summary: { type: "string", description: "One sentence about the video" },
        has_speech: { type: "boolean" },
        scene_count: { type: "integer", minimum: 0 },
        scenes: {
          type: "array",
          items: {
            type: "object",
            properties: { index: { type: "integer" }, start: { type: "number" }, end: { type: "number" }, description: { type: "string" } },
            required: ["start", "end"],
          },
        },
        transcript: { type: "string" },
      },
      required: ["filename"],
    };
    expect(answer(schema)).toEqual({
      filename: "clip.mp4",
      duration_seconds: 10,
      summary: '1 indexed item in the knowledge store "demo": clip.mp4 (10.0 s, 2 scenes).',
      has_speech: true,
      scene_count: 2,
      scenes: [
        { index: 1, start: 0, end: 4, description: 'Scene 1 of clip.mp4, from 0.0 to 4.0 s, with the words "now a blue screen".' },
        { index: 2, start: 4, end: 10, description: 'Scene 2 of clip.mp4, from 4.0 to 10.0 s, with the words "now a blue screen".' },
      ],
      transcript: "now a blue screen",
    });
  });

  it("reads what a property means from its description when its name says nothing", () => {
    const schema: JsonSchema = {
      type: "object",
      properties: {
        a: { type: "number", description: "Total duration in seconds" },
        b: { type: "integer", description: "The number of scene changes" },
        c: { type: "string", description: "What was said" },
        d: { type: "boolean", description: "Whether there is a silent stretch" },
      },
    };
    expect(answer(schema)).toEqual({ a: 10, b: 1, c: "now a blue screen", d: true });
  });

  it("gives one entry per speech segment, silence, scene cut or word when the array's name asks for them", () => {
    const schema: JsonSchema = {
      type: "object",
      properties: {
        transcript_segments: { type: "array", items: { type: "object", properties: { start: { type: "number" }, end: { type: "number" }, text: { type: "string" } } } },
        silences: { type: "array", items: { type: "object", properties: { start: { type: "number" }, end: { type: "number" } } } },
        scene_changes: { type: "array", items: { type: "number" } },
        keywords: { type: "array", items: { type: "string" } },
        videos: { type: "array", items: { type: "object", properties: { item_id: { type: "string" }, width: { type: "integer" }, height: { type: "integer" } } } },
      },
    };
    expect(answer(schema)).toEqual({
      transcript_segments: [{ start: 1, end: 7.5, text: 'Speech in clip.mp4 from 1.0 to 7.5 s: "now a blue screen".' }],
      silences: [{ start: 8, end: 10 }],
      scene_changes: [4],
      keywords: ["now", "blue", "screen"],
      videos: [{ item_id: "ksi_1", width: 640, height: 360 }],
    });
  });

  it("takes the enum value the facts mention, else the first", () => {
    const schema: JsonSchema = {
      type: "object",
      properties: {
        media: { type: "string", enum: ["image", "video"] },
        colour: { type: "string", enum: ["red", "blue"] },
        mood: { type: "string", enum: ["calm", "tense"] },
        rating: { type: "integer", enum: [3, 5] },
      },
    };
    expect(answer(schema)).toEqual({ media: "video", colour: "blue", mood: "calm", rating: 3 });
  });

  it("keeps arrays within maxItems and numbers that measure nothing within their bounds", () => {
    const schema: JsonSchema = {
      type: "object",
      properties: {
        highlights: { type: "array", maxItems: 1, items: { type: "string" } },
        confidence: { type: "number", minimum: 0.5, maximum: 1 },
      },
    };
    expect(answer(schema)).toEqual({ highlights: ["Scene 1 of clip.mp4, from 0.0 to 4.0 s, with the words \"now a blue screen\"."], confidence: 0.5 });
  });

  it("nests: scenes within each video, speech within each scene", () => {
    const second = itemRecord({ id: "ksi_2", filename: "b.mp4", extraction: { sceneChanges: [], silences: [], transcript: [], transcriptNote: undefined } });
    const schema: JsonSchema = {
      type: "array",
      items: {
        type: "object",
        properties: {
          file: { type: "string" },
          shots: { type: "array", items: { type: "object", properties: { end: { type: "number" }, has_speech: { type: "boolean" } } } },
        },
      },
    };
    expect(answer(schema, [withSpeech(), second], "videos")).toEqual([
      { file: "clip.mp4", shots: [{ end: 4, has_speech: true }, { end: 10, has_speech: true }] },
      { file: "b.mp4", shots: [{ end: 10, has_speech: false }] },
    ]);
  });

  it("answers a root string or number too", () => {
    expect(answer({ type: "number" }, [withSpeech()], "duration")).toBe(10);
    expect(answer({ type: "string" }, [withSpeech()], "transcript")).toBe("now a blue screen");
  });

  describe("fails rather than invent data", () => {
    const fails = (schema: JsonSchema, items = [withSpeech()]) => () =>
      composeStructuredAnswer({ store, question: "q", items }, { type: "json_schema", name: "facts", description: undefined, schema, strict: undefined });

    it("when the schema wants more entries than the facts hold", () => {
      const schema: JsonSchema = { type: "object", properties: { scenes: { type: "array", minItems: 3, items: { type: "string" } } } };
      expect(fails(schema)).toThrow(AnswerFailure);
      expect(fails(schema)).toThrow("$.scenes needs at least 3 entries, but the extracted facts hold 2 scenes");
    });

    it("when a measured value is outside the schema's bounds", () => {
      const schema: JsonSchema = { type: "object", properties: { duration: { type: "number", maximum: 5 } } };
      expect(fails(schema)).toThrow("$.duration the measured value 10 is outside the schema's range [-inf, 5]");
    });

    it("when nothing is indexed yet", () => {
      expect(fails({ type: "object" }, [itemRecord({ status: "processing", extraction: undefined })])).toThrow('The knowledge store "demo" has no indexed videos yet');
      expect(fails({ type: "object" }, [])).toThrow(AnswerFailure);
    });
  });
});
