import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { access, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export interface SampleVideoOptions {
  /** File name inside `dir`. Default `sample.mp4`; change it when you change other options, the file is cached by name. */
  name?: string;
  /** Length of each of the three scenes in seconds. Default 3 (a 9 s video with cuts at 3 s and 6 s). */
  sceneSeconds?: number;
  /** Frame width in pixels. Default 320. */
  width?: number;
  /** Frame height in pixels. Default 240. */
  height?: number;
  /** Frames per second. Default 25. */
  fps?: number;
  /** Sentence spoken by ffmpeg's flite voice over the video. */
  speech?: string;
  /** Path of the ffmpeg binary. Default `ffmpeg` from PATH. */
  ffmpegPath?: string;
}

export const defaultSampleVideo = {
  name: "sample.mp4",
  sceneSeconds: 3,
  width: 320,
  height: 240,
  fps: 25,
  speech: "Hello from the Reelay sample video. The picture changes to a blue screen, then to colour bars.",
} as const;

/**
 * Writes (once; later calls reuse the file) a small H.264/AAC MP4 with three visually distinct
 * scenes (test pattern, solid blue, SMPTE bars) and real synthesized speech, and returns its path.
 */
export async function makeSampleVideo(dir: string, opts: SampleVideoOptions = {}): Promise<string> {
  const o = { ...defaultSampleVideo, ...opts };
  const target = join(dir, o.name);
  if (await exists(target)) return target;
  await mkdir(dir, { recursive: true });

  const size = `${o.width}x${o.height}`;
  const total = o.sceneSeconds * 3;
  // Written under a unique name and renamed, so concurrent test files never see half a video.
  const partial = join(dir, `.${o.name}.${randomBytes(4).toString("hex")}.part.mp4`);
  const args = [
    ...["-y", "-hide_banner", "-loglevel", "error"],
    ...["-f", "lavfi", "-i", `testsrc=size=${size}:rate=${o.fps}:duration=${o.sceneSeconds}`],
    ...["-f", "lavfi", "-i", `color=c=0x2040c0:size=${size}:rate=${o.fps}:duration=${o.sceneSeconds}`],
    ...["-f", "lavfi", "-i", `smptebars=size=${size}:rate=${o.fps}:duration=${o.sceneSeconds}`],
    ...["-f", "lavfi", "-i", `flite=text='${escapeFilterText(o.speech)}':voice=slt`],
    ...["-filter_complex", `[0:v][1:v][2:v]concat=n=3:v=1:a=0[v];[3:a]aresample=44100,apad,atrim=0:${total}[a]`],
    ...["-map", "[v]", "-map", "[a]"],
    ...["-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast", "-c:a", "aac", "-movflags", "+faststart"],
    partial,
  ];
  try {
    await execFileAsync(o.ffmpegPath ?? "ffmpeg", args, { timeout: 60_000 });
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return target;
}

/** Writes a file with an `.mp4` name whose bytes are not a video, and returns its path. */
export async function makeCorruptVideo(dir: string, name = "corrupt.mp4"): Promise<string> {
  await mkdir(dir, { recursive: true });
  const target = join(dir, name);
  await writeFile(target, "this is not a video, only text pretending to be an mp4 file\n".repeat(64));
  return target;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** flite's text sits inside a quoted filter argument: quotes and filter separators must go. */
function escapeFilterText(text: string): string {
  return text.replace(/[\\':;,[\]=]/g, " ");
}
