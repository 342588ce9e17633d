/** What ffprobe tells us about a file, in the shape the rest of the emulator needs. */
export interface MediaFacts {
  kind: "video" | "audio" | "image";
  containerFormat: string;
  mimeType: string;
  sizeBytes: number;
  durationSec: number | undefined;
  video: VideoStreamFacts[];
  audio: AudioStreamFacts[];
}

export interface VideoStreamFacts {
  index: number;
  codec: string | undefined;
  width: number | undefined;
  height: number | undefined;
  fps: number | undefined;
  avgFps: number | undefined;
  durationSec: number | undefined;
  bitrateBps: number | undefined;
  pixelFormat: string | undefined;
  displayAspectRatio: string | undefined;
  pixelAspectRatio: string | undefined;
}

export interface AudioStreamFacts {
  index: number;
  codec: string | undefined;
  codecLong: string | undefined;
  sampleRate: number | undefined;
  channels: number | undefined;
  channelLayout: string | undefined;
  bitrateBps: number | undefined;
  language: string | undefined;
  durationSec: number | undefined;
}

/** What an item's indexing extracted from its media; the only source of `/responses` answers. */
export interface Extraction {
  /** Times (s) where ffmpeg's `scdet` found a scene cut, ascending. */
  sceneChanges: number[];
  /** Silent stretches found by `silencedetect`. */
  silences: Array<{ startSec: number; endSec: number }>;
  /** Speech recognised by ffmpeg's `asr` filter; undefined when not attempted. */
  transcript: TranscriptSegment[] | undefined;
  /** Why speech recognition was skipped or failed, when it was. */
  transcriptNote: string | undefined;
}

export interface TranscriptSegment {
  startSec: number;
  endSec: number;
  text: string;
}
