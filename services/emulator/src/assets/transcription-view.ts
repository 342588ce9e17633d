import type { TranscriptionRecord } from "../state/emulator-state.ts";
import type { AssetTranscription, TranscriptionSegmentation } from "@reelay/contract";
import { wordsOf } from "./transcript-words.ts";

/**
 * The wire transcription with the segmentations asked for. Each recognised utterance is both a
 * sentence and an utterance (speaker turn); there is no speaker diarization, so `speaker` is absent.
 */
export function toTranscription(record: TranscriptionRecord | { status: "pending" }, include: TranscriptionSegmentation[]): AssetTranscription {
  if (record.status !== "ready") {
    return { status: record.status, error: record.status === "failed" ? { message: record.failure ?? "speech recognition failed" } : undefined };
  }
  const segments = record.segments ?? [];
  const entries = segments.map((s) => ({ start: s.startSec, end: s.endSec, value: s.text }));
  return {
    status: "ready",
    words: include.includes("words") ? wordsOf(segments) : undefined,
    sentences: include.includes("sentences") ? entries : undefined,
    utterances: include.includes("utterances") ? entries : undefined,
  };
}
