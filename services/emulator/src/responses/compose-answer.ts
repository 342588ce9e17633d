import type { Extraction } from "../media/media-facts.ts";
import type { ItemRecord, KnowledgeStoreRecord } from "../state/emulator-state.ts";
import { CitedText } from "./cited-text.ts";

export interface AnswerInput {
  store: KnowledgeStoreRecord;
  question: string;
  /** Items the answer may draw on (the whole store, or the selected items). */
  items: ItemRecord[];
}

const STOP_WORDS = new Set(
  "the and for are was were what when where which who why how does did has have had this that these those with from into about there their them they you your video videos clip clips show shows please tell can could would should any all its it's not but".split(" "),
);

/**
 * Answers from what indexing really measured (ffprobe facts, scene cuts, silences, speech and
 * item metadata) and nothing else, the same way for the same input. There is no language model:
 * the answer says so rather than inventing content.
 */
export function composeAnswer({ store, question, items }: AnswerInput): CitedText {
  const ready = items.filter((item): item is ItemRecord & { extraction: Extraction } => item.status === "ready" && item.extraction !== undefined);
  const out = new CitedText();

  if (ready.length === 0) {
    out.add(`The knowledge store "${store.name}" has no indexed videos yet`);
    const waiting = items.filter((i) => i.status === "queued" || i.status === "pending" || i.status === "processing").length;
    const failed = items.filter((i) => i.status === "failed").length;
    const notes = [waiting ? `${waiting} item${plural(waiting)} still being indexed` : "", failed ? `${failed} item${plural(failed)} failed to index` : ""].filter(Boolean);
    out.add(notes.length ? ` (${notes.join(", ")})` : "").add(`, so there is nothing to answer your question from: "${question}".`);
    return out;
  }

  out.add(`You asked: "${question}". `);
  out.add(
    `Here is what was extracted from the ${ready.length} indexed video${plural(ready.length)} in the knowledge store "${store.name}" ` +
      "(this emulator reports measured facts: container metadata, scene cuts, silences and recognised speech; it does not describe picture content).",
  );
  if (store.enrichmentConfig?.type === "description") out.add(` The store asks for: "${store.enrichmentConfig.description}".`);

  ready.forEach((item, n) => {
    const duration = item.facts.durationSec ?? 0;
    out.add("\n\n");
    out.cite(`[${n + 1}]`, { item_id: item.id, start_sec: 0, end_sec: duration, title: item.filename });
    out.add(` ${item.filename}: ${describeFormat(item)}.`);
    describeScenes(out, item, duration);
    describeSpeech(out, item);
    if (item.metadata && Object.keys(item.metadata).length > 0) {
      out.add(` Item metadata: ${Object.entries(item.metadata).map(([k, v]) => `${k}=${v}`).join(", ")}.`);
    }
  });

  describeMatches(out, question, ready);
  return out;
}

function describeFormat(item: ItemRecord): string {
  const video = item.facts.video[0];
  const audio = item.facts.audio[0];
  if (item.assetType === "image") return `an image, ${video?.width ?? "?"}x${video?.height ?? "?"} (${video?.codec ?? "unknown codec"})`;
  const parts = [`${secs(item.facts.durationSec ?? 0)} long`];
  if (video) parts.push(`${video.width ?? "?"}x${video.height ?? "?"}${video.fps ? ` at ${trim(video.fps)} fps` : ""}`, `${video.codec ?? "unknown"} video`);
  parts.push(audio ? `${audio.codec ?? "unknown"} audio (${audio.channels ?? "?"} channel${plural(audio.channels ?? 0)}, ${audio.sampleRate ?? "?"} Hz)` : "no audio track");
  return parts.join(", ");
}

function describeScenes(out: CitedText, item: ItemRecord & { extraction: Extraction }, duration: number): void {
  if (item.assetType === "image") return;
  const cuts = item.extraction.sceneChanges;
  if (cuts.length === 0) {
    out.add(" ffmpeg found no scene change: it is one continuous shot of ");
    out.cite(`0.0-${num(duration)} s`, { item_id: item.id, start_sec: 0, end_sec: duration, title: `${item.filename}, whole video` });
    out.add(".");
    return;
  }
  out.add(` ffmpeg found ${cuts.length} scene change${plural(cuts.length)}, at ${listOf(cuts.map(secs))}, so it has ${cuts.length + 1} scenes: `);
  const bounds = [0, ...cuts, duration];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const start = bounds[i] ?? 0;
    const end = bounds[i + 1] ?? duration;
    if (i > 0) out.add(i === bounds.length - 2 ? " and " : ", ");
    out.cite(`${num(start)}-${num(end)} s`, { item_id: item.id, start_sec: start, end_sec: end, title: `${item.filename}, scene ${i + 1}` });
  }
  out.add(".");
}

function describeSpeech(out: CitedText, item: ItemRecord & { extraction: Extraction }): void {
  const { transcript, transcriptNote, silences } = item.extraction;
  if (transcript === undefined) {
    if (item.facts.audio.length > 0) out.add(` No transcript: ${transcriptNote ?? "speech recognition did not run"}.`);
    return;
  }
  if (transcript.length === 0) out.add(" Speech recognition heard no words.");
  else {
    out.add(" Speech recognition (approximate) heard ");
    transcript.forEach((segment, i) => {
      if (i > 0) out.add(i === transcript.length - 1 ? " and " : ", ");
      out.add(`"${segment.text}" (`);
      out.cite(`${num(segment.startSec)}-${num(segment.endSec)} s`, { item_id: item.id, start_sec: segment.startSec, end_sec: segment.endSec, title: `${item.filename}, speech` });
      out.add(")");
    });
    out.add(".");
  }
  if (silences.length > 0) out.add(` Silent from ${listOf(silences.map((s) => `${num(s.startSec)} to ${secs(s.endSec)}`))}.`);
}

function describeMatches(out: CitedText, question: string, items: Array<ItemRecord & { extraction: Extraction }>): void {
  const words = [...new Set(question.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [])].filter((w) => w.length > 2 && !STOP_WORDS.has(w));
  const heard = items.flatMap((item) =>
    (item.extraction.transcript ?? []).flatMap((segment) => {
      const spoken = new Set(segment.text.toLowerCase().split(/\s+/));
      const hits = words.filter((w) => spoken.has(w));
      return hits.length ? [{ item, segment, hits }] : [];
    }),
  );
  if (words.length === 0 || !items.some((item) => item.extraction.transcript?.length)) return;
  out.add("\n\n");
  if (heard.length === 0) {
    out.add(`None of the words of your question (${words.map((w) => `"${w}"`).join(", ")}) were heard in the speech.`);
    return;
  }
  out.add("Words of your question heard in the speech: ");
  heard.forEach(({ item, segment, hits }, i) => {
    if (i > 0) out.add("; ");
    out.add(`${hits.map((w) => `"${w}"`).join(", ")} in ${item.filename} at `);
    out.cite(`${num(segment.startSec)}-${num(segment.endSec)} s`, { item_id: item.id, start_sec: segment.startSec, end_sec: segment.endSec, title: item.filename });
  });
  out.add(".");
}

const num = (value: number) => value.toFixed(1);
const secs = (value: number) => `${num(value)} s`;
const trim = (value: number) => String(Math.round(value * 100) / 100);
const plural = (count: number) => (count === 1 ? "" : "s");

function listOf(parts: string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}
