import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { MediaFacts } from "../media/media-facts.ts";
import { lastLine, runTool } from "../media/run-tool.ts";
import type { ToolRunOptions } from "../media/tool-run-options.ts";
import { HLS_MANIFEST } from "./asset-media-urls.ts";

/** Target segment length in seconds; segments cut on keyframes, so real ones vary. */
const SEGMENT_SECONDS = 6;

/**
 * Writes a VOD HLS rendition (`index.m3u8` plus MPEG-TS segments) of a video or audio file into
 * `dir` and returns the manifest path. Streams are copied when MPEG-TS can carry them (H.264,
 * AAC...), which costs almost nothing; otherwise they are re-encoded to H.264/AAC.
 */
export async function makeHls(source: string, facts: MediaFacts, dir: string, options: ToolRunOptions): Promise<string> {
  await mkdir(dir, { recursive: true });
  const manifest = join(dir, HLS_MANIFEST);
  // An audio file's cover art is a video stream too; it does not belong in an audio stream.
  const maps = facts.kind === "audio" ? ["-map", "0:a:0"] : ["-map", "0:v:0", "-map", "0:a:0?"];
  const run = (codecs: string[]) =>
    runTool(
      options.ffmpegPath,
      [
        ...["-hide_banner", "-nostats", "-v", "error", "-y", "-i", source, ...maps, ...codecs],
        ...["-f", "hls", "-hls_time", String(SEGMENT_SECONDS), "-hls_playlist_type", "vod"],
        ...["-hls_segment_filename", join(dir, "segment-%03d.ts"), manifest],
      ],
      options,
    );
  let result = await run(["-c", "copy"]);
  if (result.code !== 0) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const video = facts.kind === "audio" ? [] : ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"];
    result = await run([...video, "-c:a", "aac"]);
  }
  if (result.code !== 0) throw new Error(`HLS generation failed: ${lastLine(result.stderr)}`);
  return manifest;
}
