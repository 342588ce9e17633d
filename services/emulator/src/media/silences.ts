import { lastLine, runTool } from "./run-tool.ts";
import type { ToolRunOptions } from "./tool-run-options.ts";

export interface Silence {
  startSec: number;
  endSec: number;
}

/** Finds stretches quieter than -35 dB for at least half a second (ffmpeg `silencedetect`). */
export async function detectSilences(path: string, durationSec: number, options: ToolRunOptions): Promise<Silence[]> {
  const result = await runTool(
    options.ffmpegPath,
    ["-hide_banner", "-nostats", "-v", "error", "-i", path, "-vn", "-sn", "-dn", "-af", "silencedetect=noise=-35dB:d=0.5,ametadata=mode=print:file=-", "-f", "null", "-"],
    options,
  );
  if (result.code !== 0) throw new Error(`silence detection failed: ${lastLine(result.stderr)}`);
  return parseSilences(result.stdout, durationSec);
}

/** A silence still open at the end of the stream has no `silence_end` line: it lasts until the end. */
export function parseSilences(output: string, durationSec: number): Silence[] {
  const silences: Silence[] = [];
  let start: number | undefined;
  for (const match of output.matchAll(/lavfi\.silence_(start|end)=(-?[\d.]+)/g)) {
    const value = Math.max(0, Number(match[2]));
    if (match[1] === "start") start = value;
    else if (start !== undefined) {
      silences.push({ startSec: round(start), endSec: round(value) });
      start = undefined;
    }
  }
  if (start !== undefined && durationSec > start) silences.push({ startSec: round(start), endSec: round(durationSec) });
  return silences;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
