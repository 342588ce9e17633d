import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { access, mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** What `makeLongVideo` writes: 48 s at about 440 kbit/s, some 2.6 MB. */
export const LONG_VIDEO_SECONDS = 48;

/**
 * A long, low-bitrate video (moving test pattern with grain, a tone) of a few megabytes: big
 * enough to span many small chunks, small enough for CI. Written once and reused, like
 * `makeSampleVideo`; returns its path.
 */
export async function makeLongVideo(dir: string, name = "long-low-bitrate.mp4"): Promise<string> {
  const target = path.join(dir, name);
  if (await access(target).then(() => true, () => false)) return target;
  await mkdir(dir, { recursive: true });
  const partial = path.join(dir, `.${name}.${randomBytes(4).toString("hex")}.part.mp4`);
  const seconds = LONG_VIDEO_SECONDS;
  try {
    await execFileAsync(
      "ffmpeg",
      [
        ...["-y", "-hide_banner", "-loglevel", "error"],
        ...["-f", "lavfi", "-i", `testsrc2=size=320x240:rate=25:duration=${seconds}`],
        ...["-f", "lavfi", "-i", `sine=frequency=440:duration=${seconds}`],
        // Grain keeps the encoder from squeezing the picture to nothing: the file stays megabytes.
        ...["-vf", "noise=alls=30:allf=t"],
        ...["-c:v", "libx264", "-preset", "veryfast", "-b:v", "400k", "-maxrate", "400k", "-bufsize", "800k", "-pix_fmt", "yuv420p"],
        ...["-c:a", "aac", "-b:a", "32k", "-movflags", "+faststart"],
        partial,
      ],
      { timeout: 120_000 },
    );
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return target;
}
