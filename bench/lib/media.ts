import { execFile } from "node:child_process";
import { randomFill } from "node:crypto";
import { createWriteStream } from "node:fs";
import { access, mkdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { makeSampleVideo } from "@reelay/sample-media";

const execFileAsync = promisify(execFile);
const fill = promisify(randomFill);

/** A 3-second sample video (three 1 s scenes): indexed quickly by the emulator, still real media. */
export const shortVideo = (dir: string) => makeSampleVideo(dir, { name: "bench-short.mp4", sceneSeconds: 1 });

/** A tiny PNG: an image item is indexed without running ffmpeg, so many of them stay cheap. */
export async function tinyImage(dir: string): Promise<string> {
  const target = path.join(dir, "bench.png");
  if (await access(target).then(() => true, () => false)) return target;
  await mkdir(dir, { recursive: true });
  await execFileAsync("ffmpeg", ["-y", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=1", "-frames:v", "1", target], { timeout: 30_000 });
  return target;
}

/**
 * Writes `bytes` of random-looking data (a fresh random 4 MiB block per 4 MiB written, so nothing
 * on the way can compress or deduplicate it). Validity as media does not matter to the API.
 */
export async function randomFile(target: string, bytes: number): Promise<string> {
  const out = createWriteStream(target);
  const block = 4 * 1024 * 1024;
  for (let written = 0; written < bytes; written += block) {
    const chunk = await fill(Buffer.allocUnsafe(Math.min(block, bytes - written)));
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return target;
}
