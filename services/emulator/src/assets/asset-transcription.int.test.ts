import { basename, dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileServer } from "@reelay/sample-media";
import type { RunningEmulator } from "../start-emulator.ts";
import { pollUntil, rawClient, serveSampleMedia, startTestEmulator } from "../testing/emulator-fixtures.ts";
import { makeSampleImage } from "../testing/sample-image.ts";

describe("GET /v1.3/assets/{id}/transcription", () => {
  let emulator: RunningEmulator;
  let files: FileServer;
  let imageName: string;
  let api: ReturnType<typeof rawClient>;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    let samplePath: string;
    ({ files, samplePath } = await serveSampleMedia());
    imageName = basename(await makeSampleImage(dirname(samplePath)));
    api = rawClient(emulator.url);
  });
  afterAll(async () => {
    await emulator?.close();
    await files?.close();
  });

  const upload = async (name: string, local = api) => {
    const form = new FormData();
    form.set("method", "url");
    form.set("url", files.url(name));
    return (await local("POST", "/assets", form)).json._id as string;
  };
  const ready = (id: string, local = api) => pollUntil(() => local("GET", `/assets/${id}`), (r) => r.json.status !== "processing");

  it("is pending while the asset processes, then processing, then ready with the recognised words (the default)", async () => {
    const id = await upload("sample.mp4");
    expect((await api("GET", `/assets/${id}/transcription`)).json).toEqual({ status: "pending" });
    await ready(id);
    expect((await api("GET", `/assets/${id}/transcription`)).json).toEqual({ status: "processing" });

    const done = await pollUntil(() => api("GET", `/assets/${id}/transcription`), (r) => r.json.status !== "processing");
    expect(done.status).toBe(200);
    expect(Object.keys(done.json).sort()).toEqual(["status", "words"]);
    const words: Array<{ start: number; end: number; value: string }> = done.json.words;
    // pocketsphinx on synthesized speech: rough, but these words come through.
    expect(words.map((w) => w.value)).toEqual(expect.arrayContaining(["hello", "picture", "blue"]));
    for (const [index, word] of words.entries()) {
      expect(word.end).toBeGreaterThanOrEqual(word.start);
      expect(word.start).toBeGreaterThanOrEqual(index === 0 ? 0 : words[index - 1]!.end);
      expect(word.end).toBeLessThanOrEqual(9.5);
    }
  });

  it("returns the segmentations named in include, repeated or comma-separated", async () => {
    const id = await upload("sample.mp4");
    await ready(id);
    await pollUntil(() => api("GET", `/assets/${id}/transcription`), (r) => r.json.status === "ready");

    const both = await api("GET", `/assets/${id}/transcription?include=sentences&include=utterances`);
    expect(Object.keys(both.json).sort()).toEqual(["sentences", "status", "utterances"]);
    expect(both.json.sentences[0]).toEqual({ start: expect.any(Number), end: expect.any(Number), value: expect.stringContaining("picture") });
    expect(both.json.utterances).toEqual(both.json.sentences);
    const comma = await api("GET", `/assets/${id}/transcription?include=words,sentences`);
    expect(Object.keys(comma.json).sort()).toEqual(["sentences", "status", "words"]);
    expect((await api("GET", `/assets/${id}/transcription?include=paragraphs`)).status).toBe(400);
  });

  it("when the asset has nothing to transcribe (an image, a failed upload) or does not exist > answers 404", async () => {
    const image = await upload(imageName);
    await ready(image);
    const res = await api("GET", `/assets/${image}/transcription`);
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ code: "resource_not_exist", message: expect.stringContaining("image") });

    const corrupt = await upload("corrupt.mp4");
    await ready(corrupt);
    expect((await api("GET", `/assets/${corrupt}/transcription`)).status).toBe(404);
    expect((await api("GET", "/assets/000000000000000000000000/transcription")).status).toBe(404);
  });

  it("when speech recognition is turned off > the transcription is failed with the reason", async () => {
    const quiet = await startTestEmulator({ asr: false });
    try {
      const local = rawClient(quiet.url);
      const id = await upload("sample.mp4", local);
      await ready(id, local);
      expect((await local("GET", `/assets/${id}/transcription`)).json).toEqual({ status: "failed", error: { message: expect.stringContaining("EMULATOR_ASR") } });
    } finally {
      await quiet.close();
    }
  });
});
