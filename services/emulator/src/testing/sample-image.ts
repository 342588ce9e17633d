import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { access, mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/**
 * Writes (once; later calls reuse it) a 160x120 PNG test pattern into `dir` and returns its path.
 * Put it in the directory `serveSampleMedia` serves to fetch it by URL.
 */
export async function makeSampleImage(dir: string, name = "sample.png"): Promise<string> {
  const target = join(dir, name);
  if (await access(target).then(() => true, () => false)) return target;
  await mkdir(dir, { recursive: true });
  const partial = join(dir, `.${name}.${randomBytes(4).toString("hex")}.part.png`);
  try {
    await execFileAsync("ffmpeg", ["-y", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=1", "-frames:v", "1", partial], { timeout: 30_000 });
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return target;
}
