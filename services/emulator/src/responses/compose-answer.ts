import type { ItemRecord, KnowledgeStoreRecord } from "../state/emulator-state.ts";
import { readyItems } from "./answer-failure.ts";
import type { ReadyItem } from "./answer-failure.ts";
import { noCitationMedia } from "./citation-media.ts";
import type { CitationMedia } from "./citation-media.ts";
import { CitedText } from "./cited-text.ts";
import type { CitationTarget } from "./cited-text.ts";

export interface AnswerInput {
  store: KnowledgeStoreRecord;
  question: string;
  /** Items the answer may draw on (the whole store, or the selected items). */
  items: ItemRecord[];
  /** Thumbnail and HLS URLs for citations. Default: none (null). */
  media?: CitationMedia;
}

/** Cites an item, or a time range of it. */
type Cite = (item: ItemRecord, range?: { startSec: number; endSec: number }) => CitationTarget;

export const STOP_WORDS = new Set(
  "the and for are was were what when where which who why how does did has have had this that these those with from into about there their them they you your video videos clip clips show shows please tell can could would should any all its it's not but".split(" "),
);

/**
 * Answers from what indexing really measured (ffprobe facts, scene cuts, silences and speech) and
 * nothing else, the same way for the same input. There is no language model: the answer says so
 * rather than inventing content. Item metadata stays out: it is the caller's bookkeeping (Reelay
 * stamps its own ids there), not something the video says.
 * @throws AnswerFailure when every item to answer from failed to index.
 */
export function composeAnswer({ store, question, items, media = noCitationMedia }: AnswerInput): CitedText {
  const ready = readyItems(items);
  const out = new CitedText();
  const cite: Cite = (item, range) => citationOf(item, media, range);

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

  for (const item of ready) {
    out.add("\n\n").cite(cite(item)).add(` ${item.filename}: ${describeFormat(item)}.`);
    describeScenes(out, item, cite);
    describeSpeech(out, item, cite);
  }

  describeMatches(out, question, ready, cite);
  return out;
}

/**
 * What a marker cites: a whole image, or a time range of a video. A whole video is cited as its
 * full range rather than with the range left out (which the SDK also allows), so a client always
 * has a range to seek to. An image has no stream to play: its `hls_url` is always null.
 */
export function citationOf(item: ItemRecord, media: CitationMedia, range?: { startSec: number; endSec: number }): CitationTarget {
  const { thumbnail_url, hls_url } = media(item);
  if (item.assetType === "image") return { type: "image_citation", item_id: item.id, title: item.filename, thumbnail_url, hls_url: null };
  const { startSec, endSec } = range ?? { startSec: 0, endSec: durationOf(item) };
  return { type: "video_citation", item_id: item.id, start_sec: startSec, end_sec: endSec, title: item.filename, thumbnail_url, hls_url };
}

export const durationOf = (item: ItemRecord) => item.facts.durationSec ?? 0;

/** The scenes between ffmpeg's scene cuts, as [start, end) ranges; none for an image. */
export function scenesOf(item: ReadyItem): Array<{ startSec: number; endSec: number }> {
  if (item.assetType === "image") return [];
  const bounds = [0, ...item.extraction.sceneChanges, durationOf(item)];
  return bounds.slice(1).map((endSec, i) => ({ startSec: bounds[i] ?? 0, endSec }));
}

export function describeFormat(item: ItemRecord): string {
  const video = item.facts.video[0];
  const audio = item.facts.audio[0];
  if (item.assetType === "image") return `an image, ${video?.width ?? "?"}x${video?.height ?? "?"} (${video?.codec ?? "unknown codec"})`;
  const parts = [`${secs(item.facts.durationSec ?? 0)} long`];
  if (video) parts.push(`${video.width ?? "?"}x${video.height ?? "?"}${video.fps ? ` at ${trim(video.fps)} fps` : ""}`, `${video.codec ?? "unknown"} video`);
  parts.push(audio ? `${audio.codec ?? "unknown"} audio (${audio.channels ?? "?"} channel${plural(audio.channels ?? 0)}, ${audio.sampleRate ?? "?"} Hz)` : "no audio track");
  return parts.join(", ");
}

function describeScenes(out: CitedText, item: ReadyItem, cite: Cite): void {
  if (item.assetType === "image") return;
  const cuts = item.extraction.sceneChanges;
  const scenes = scenesOf(item);
  if (cuts.length === 0) {
    out.add(` ffmpeg found no scene change: it is one continuous shot of 0.0-${num(durationOf(item))} s `).cite(cite(item)).add(".");
    return;
  }
  out.add(` ffmpeg found ${cuts.length} scene change${plural(cuts.length)}, at ${listOf(cuts.map(secs))}, so it has ${scenes.length} scenes: `);
  scenes.forEach((scene, i) => {
    if (i > 0) out.add(i === scenes.length - 1 ? " and " : ", ");
    out.add(`${num(scene.startSec)}-${num(scene.endSec)} s `).cite(cite(item, scene));
  });
  out.add(".");
}

function describeSpeech(out: CitedText, item: ReadyItem, cite: Cite): void {
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
      out.add(`"${segment.text}" (${num(segment.startSec)}-${num(segment.endSec)} s) `).cite(cite(item, segment));
    });
    out.add(".");
  }
  if (silences.length > 0) out.add(` Silent from ${listOf(silences.map((s) => `${num(s.startSec)} to ${secs(s.endSec)}`))}.`);
}

function describeMatches(out: CitedText, question: string, items: ReadyItem[], cite: Cite): void {
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
    out.add(`${hits.map((w) => `"${w}"`).join(", ")} in ${item.filename} at ${num(segment.startSec)}-${num(segment.endSec)} s `).cite(cite(item, segment));
  });
  out.add(".");
}

export const num = (value: number) => value.toFixed(1);
export const secs = (value: number) => `${num(value)} s`;
const trim = (value: number) => String(Math.round(value * 100) / 100);
export const plural = (count: number) => (count === 1 ? "" : "s");

export function listOf(parts: string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}
