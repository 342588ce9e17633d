import { execFile } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCorruptVideo, makeSampleVideo, serveFiles } from "./index.ts";
import type { FileServer } from "./index.ts";

const execFileAsync = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "reelay-sample-media-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("makeSampleVideo", () => {
  it("writes a 9 s 320x240 H.264 video with an audio track, and reuses it on the next call", async () => {
    const path = await makeSampleVideo(dir);
    const { stdout } = await execFileAsync("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path]);
    const probe = JSON.parse(stdout) as { format: { duration: string }; streams: Array<{ codec_type: string; width?: number; height?: number }> };
    expect(Number(probe.format.duration)).toBeCloseTo(9, 0);
    const video = probe.streams.find((s) => s.codec_type === "video");
    expect(video).toMatchObject({ width: 320, height: 240 });
    expect(probe.streams.some((s) => s.codec_type === "audio")).toBe(true);

    const before = await stat(path);
    expect(await makeSampleVideo(dir)).toBe(path);
    expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
  });

  it("has scene cuts ffmpeg can find at 3 s and 6 s", async () => {
    const path = await makeSampleVideo(dir);
    const { stdout } = await execFileAsync("ffmpeg", ["-hide_banner", "-nostats", "-loglevel", "error", "-i", path, "-an", "-vf", "scdet=threshold=10:sc_pass=1,metadata=print:file=-", "-f", "null", "-"]);
    const cuts = [...stdout.matchAll(/lavfi\.scd\.time=([\d.]+)/g)].map((m) => Number(m[1]));
    expect(cuts).toEqual([3, 6]);
  });
});

describe("makeCorruptVideo", () => {
  it("writes an .mp4 that ffprobe refuses", async () => {
    const path = await makeCorruptVideo(dir);
    expect(path.endsWith(".mp4")).toBe(true);
    await expect(execFileAsync("ffprobe", ["-v", "error", path])).rejects.toThrow();
  });
});

describe("serveFiles", () => {
  let server: FileServer;
  beforeAll(async () => {
    await makeSampleVideo(dir);
    server = await serveFiles(dir);
  });
  afterAll(() => server.close());

  it("serves a file with its content type and length", async () => {
    const res = await fetch(server.url("sample.mp4"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("video/mp4");
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).toBe((await stat(join(dir, "sample.mp4"))).size);
  });

  it("answers 404 for a missing file and for paths outside the directory", async () => {
    expect((await fetch(server.url("missing.mp4"))).status).toBe(404);
    expect((await fetch(`${server.origin}/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
  });
});
