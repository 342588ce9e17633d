import { lastLine, runTool } from "./run-tool.ts";
import type { ToolRunOptions } from "./tool-run-options.ts";

/** Content change score (0-100) above which `scdet` reports a cut; 10 is ffmpeg's default. */
const SCENE_THRESHOLD = 10;

/**
 * Finds scene cuts with ffmpeg's `scdet` filter. `sc_pass=1` forwards only the cut frames, so
 * the printed metadata stays small however long the video is.
 */
export async function detectSceneChanges(path: string, options: ToolRunOptions): Promise<number[]> {
  const result = await runTool(
    options.ffmpegPath,
    ["-hide_banner", "-nostats", "-v", "error", "-i", path, "-an", "-sn", "-dn", "-vf", `scdet=threshold=${SCENE_THRESHOLD}:sc_pass=1,metadata=print:file=-`, "-f", "null", "-"],
    options,
  );
  if (result.code !== 0) throw new Error(`scene detection failed: ${lastLine(result.stderr)}`);
  return parseSceneChanges(result.stdout);
}

export function parseSceneChanges(output: string): number[] {
  const times = [...output.matchAll(/lavfi\.scd\.time=([\d.]+)/g)].map((m) => Number(m[1]));
  return [...new Set(times.filter((t) => Number.isFinite(t) && t > 0))].sort((a, b) => a - b);
}
