import type { TranscriptSegment } from "../media/media-facts.ts";

export interface TimedWord {
  start: number;
  end: number;
  value: string;
}

/**
 * Splits recognised utterances into words. The speech recogniser (pocketsphinx through ffmpeg's
 * `asr`) times whole utterances only, so each word gets a share of its utterance proportional to
 * its length: an estimate, good enough to place a word within a scene, not to subtitle it.
 */
export function wordsOf(segments: TranscriptSegment[]): TimedWord[] {
  const words: TimedWord[] = [];
  for (const segment of segments) {
    const parts = segment.text.split(/\s+/).filter(Boolean);
    const weight = (word: string) => word.length + 1;
    const total = parts.reduce((sum, word) => sum + weight(word), 0);
    const span = Math.max(0, segment.endSec - segment.startSec);
    let elapsed = 0;
    for (const value of parts) {
      const start = segment.startSec + (span * elapsed) / total;
      elapsed += weight(value);
      const end = segment.startSec + (span * elapsed) / total;
      words.push({ start: round(start), end: round(end), value });
    }
  }
  return words;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
