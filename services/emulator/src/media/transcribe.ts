import type { TranscriptSegment } from "./media-facts.ts";
import { lastLine, runTool } from "./run-tool.ts";
import type { ToolRunOptions } from "./tool-run-options.ts";

/**
 * Speech recognition with ffmpeg's `asr` filter (pocketsphinx). It wants 16 kHz mono, and the
 * trailing pad lets it flush the last utterance. Accuracy is rough but the words are real.
 */
export async function transcribe(path: string, options: ToolRunOptions): Promise<TranscriptSegment[]> {
  const result = await runTool(
    options.ffmpegPath,
    ["-hide_banner", "-nostats", "-v", "error", "-i", path, "-vn", "-sn", "-dn", "-af", "aresample=16000,aformat=sample_fmts=s16:channel_layouts=mono,apad=pad_dur=1,asr,ametadata=mode=print:file=-", "-f", "null", "-"],
    options,
  );
  if (result.code !== 0) throw new Error(`speech recognition failed: ${lastLine(result.stderr)}`);
  return parseTranscript(result.stdout);
}

/** Each `lavfi.asr.text` arrives on the frame where an utterance ended; it started after the previous one. */
export function parseTranscript(output: string): TranscriptSegment[] {
  const segments: TranscriptSegment[] = [];
  let frameTime = 0;
  let previousEnd = 0;
  for (const line of output.split("\n")) {
    const frame = /pts_time:(-?[\d.]+)/.exec(line);
    if (frame) {
      frameTime = Math.max(0, Number(frame[1]));
      continue;
    }
    const text = /^lavfi\.asr\.text=(.*)$/.exec(line.trim())?.[1]?.trim();
    if (!text) continue;
    segments.push({ startSec: round(previousEnd), endSec: round(frameTime), text });
    previousEnd = frameTime;
  }
  return segments;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
