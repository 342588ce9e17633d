import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileServer } from "@reelay/sample-media";
import type { RunningEmulator } from "../start-emulator.ts";
import { pollUntil, rawClient, serveSampleMedia, startTestEmulator } from "../testing/emulator-fixtures.ts";
import { makeSampleImage } from "../testing/sample-image.ts";

const execFileAsync = promisify(execFile);

describe("asset thumbnails and HLS streams (enable_thumbnail, enable_hls)", () => {
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

  const upload = async (name: string, flags: Record<string, string>) => {
    const form = new FormData();
    form.set("method", "url");
    form.set("url", files.url(name));
    for (const [key, value] of Object.entries(flags)) form.set(key, value);
    return (await api("POST", "/assets", form)).json._id as string;
  };
  const renditionsSettled = (id: string) =>
    pollUntil(
      () => api("GET", `/assets/${id}`),
      (r) => r.json.status !== "processing" && [r.json.hls?.status, r.json.thumbnail?.status].every((s) => s === undefined || s === "ready" || s === "error"),
    );

  it("a video goes pending → ready for both, with URLs the emulator serves: a JPEG and a playable HLS stream", async () => {
    const id = await upload("sample.mp4", { enable_hls: "true", enable_thumbnail: "true" });
    const first = await api("GET", `/assets/${id}`);
    expect(first.json).toMatchObject({ status: "processing", hls: { status: "pending" }, thumbnail: { status: "pending" } });
    expect(first.json.hls.manifest_url).toBeUndefined();

    const ready = await renditionsSettled(id);
    const origin = new URL(emulator.url).origin;
    expect(ready.json.thumbnail).toEqual({ status: "ready", representative_url: `${origin}/media/thumbnails/${id}.jpg` });
    expect(ready.json.hls).toEqual({ status: "ready", manifest_url: `${origin}/media/hls/${id}/index.m3u8` });

    // Served without an API key, like a CDN.
    const thumbnail = await fetch(ready.json.thumbnail.representative_url);
    expect(thumbnail.headers.get("content-type")).toBe("image/jpeg");
    const jpeg = Buffer.from(await thumbnail.arrayBuffer());
    expect(jpeg.subarray(0, 2).toString("hex")).toBe("ffd8");

    const manifest = await fetch(ready.json.hls.manifest_url);
    expect(manifest.headers.get("content-type")).toContain("application/vnd.apple.mpegurl");
    const playlist = await manifest.text();
    expect(playlist).toMatch(/^#EXTM3U/);
    expect(playlist).toContain("#EXT-X-ENDLIST");
    const segment = playlist.split("\n").find((line) => line.endsWith(".ts"));
    const segmentRes = await fetch(new URL(segment!, ready.json.hls.manifest_url));
    expect(segmentRes.status).toBe(200);
    expect(segmentRes.headers.get("content-type")).toBe("video/mp2t");

    // ffprobe reads the stream through the manifest: it really plays, at the source's size.
    const dir = await mkdtemp(join(tmpdir(), "reelay-hls-probe-"));
    try {
      await writeFile(join(dir, "thumb.jpg"), jpeg);
      const probe = async (input: string) =>
        JSON.parse((await execFileAsync("ffprobe", ["-v", "error", "-print_format", "json", "-show_streams", input])).stdout) as { streams: Array<{ codec_type: string; width?: number; height?: number }> };
      const stream = await probe(ready.json.hls.manifest_url);
      expect(stream.streams.find((s) => s.codec_type === "video")).toMatchObject({ width: 320, height: 240 });
      expect(stream.streams.some((s) => s.codec_type === "audio")).toBe(true);
      expect((await probe(join(dir, "thumb.jpg"))).streams[0]).toMatchObject({ width: 320, height: 240 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("an image gets its thumbnail; HLS, which the platform ignores for images, is absent", async () => {
    const id = await upload(imageName, { enable_hls: "true", enable_thumbnail: "true" });
    const ready = await renditionsSettled(id);
    expect(ready.json.status).toBe("ready");
    expect(ready.json.thumbnail.status).toBe("ready");
    expect(ready.json.hls).toBeUndefined();
    expect((await fetch(ready.json.thumbnail.representative_url)).status).toBe(200);
  });

  it("when not requested > neither field appears; when the asset failed > both are error", async () => {
    const plain = await upload("sample.mp4", {});
    const ready = await renditionsSettled(plain);
    expect(ready.json.hls).toBeUndefined();
    expect(ready.json.thumbnail).toBeUndefined();
    expect((await fetch(`${new URL(emulator.url).origin}/media/thumbnails/${plain}.jpg`)).status).toBe(404);

    const corrupt = await upload("corrupt.mp4", { enable_hls: "true", enable_thumbnail: "true" });
    const failed = await renditionsSettled(corrupt);
    expect(failed.json).toMatchObject({ status: "failed", hls: { status: "error" }, thumbnail: { status: "error" } });
  });

  it("after the asset is deleted > its thumbnail and stream are gone (404)", async () => {
    const id = await upload("sample.mp4", { enable_hls: "true", enable_thumbnail: "true" });
    const ready = await renditionsSettled(id);
    expect((await api("DELETE", `/assets/${id}`)).status).toBe(204);
    expect((await fetch(ready.json.thumbnail.representative_url)).status).toBe(404);
    expect((await fetch(ready.json.hls.manifest_url)).status).toBe(404);
  });
});
