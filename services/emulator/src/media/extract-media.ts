import type { Extraction, MediaFacts } from "./media-facts.ts";
import { detectSceneChanges } from "./scenes.ts";
import { detectSilences } from "./silences.ts";
import type { ToolRunOptions } from "./tool-run-options.ts";
import { transcribe } from "./transcribe.ts";

export interface ExtractOptions extends ToolRunOptions {
  /** Run speech recognition on the audio track. */
  asr: boolean;
}

/**
 * Everything an item's indexing learns from its media. Scene and silence detection failures fail
 * the item; speech recognition is best effort (a build of ffmpeg without `asr` still indexes).
 */
export async function extractMedia(path: string, facts: MediaFacts, options: ExtractOptions): Promise<Extraction> {
  const hasVideo = facts.kind === "video";
  const hasAudio = facts.audio.length > 0;
  const duration = facts.durationSec ?? 0;

  const [sceneChanges, silences] = await Promise.all([
    hasVideo ? detectSceneChanges(path, options) : Promise.resolve([]),
    hasAudio ? detectSilences(path, duration, options) : Promise.resolve([]),
  ]);

  let transcript: Extraction["transcript"];
  let transcriptNote: string | undefined;
  if (!hasAudio) transcriptNote = "there is no audio track";
  else if (!options.asr) transcriptNote = "speech recognition is turned off in this emulator";
  else {
    try {
      transcript = await transcribe(path, options);
    } catch (error) {
      if (options.signal.aborted) throw error;
      transcriptNote = error instanceof Error ? error.message : String(error);
    }
  }
  return { sceneChanges, silences, transcript, transcriptNote };
}
