import { stat } from "node:fs/promises";
import type { MediaFacts } from "../media/media-facts.ts";
import { lastLine, runTool } from "../media/run-tool.ts";
import type { ToolRunOptions } from "../media/tool-run-options.ts";

/** Widest thumbnail produced; smaller sources keep their size. */
const MAX_WIDTH = 640;

/**
 * Writes a JPEG thumbnail of a video or image to `target`. For a video, ffmpeg's `thumbnail`
 * filter picks the most representative of the frames following one third of the duration.
 */
export async function makeThumbnail(source: string, facts: MediaFacts, target: string, options: ToolRunOptions): Promise<void> {
  const scale = `scale='min(${MAX_WIDTH},iw)':-2`;
  const seek = facts.kind === "video" && facts.durationSec ? ["-ss", (facts.durationSec / 3).toFixed(3)] : [];
  const filter = facts.kind === "video" ? `thumbnail=50,${scale}` : scale;
  const result = await runTool(
    options.ffmpegPath,
    ["-hide_banner", "-nostats", "-v", "error", "-y", ...seek, "-i", source, "-an", "-sn", "-dn", "-vf", filter, "-frames:v", "1", "-q:v", "3", "-f", "image2", target],
    options,
  );
  if (result.code !== 0) throw new Error(`thumbnail generation failed: ${lastLine(result.stderr)}`);
  // ffmpeg exits 0 without writing anything when the seek lands past the last frame.
  const written = await stat(target).catch(() => undefined);
  if (!written?.size) throw new Error("thumbnail generation failed: ffmpeg wrote no frame");
}
