import { basename, extname } from "node:path";
import { wordsOf } from "../assets/transcript-words.ts";
import type { ItemRecord } from "../state/emulator-state.ts";
import type { SearchHit, VideoMatch, VideoModality } from "@reelay/contract";

/**
 * The emulator's search engine: keyword matching over what indexing really measured, since it
 * has no visual understanding. A video is cut into clips at its detected scene changes.
 * - `visual` matches words of the file name and words naming the clip's place among the scenes
 *   ("scene", "shot", "first", "opening", "second", ..., "last", "final", "ending");
 * - `audio` matches the words recognised in the clip's speech.
 * Images match on their file name and the word "image". A clip's score is the number of distinct
 * query words it matches in the searched modalities; clips matching none are not results.
 */
export interface RankOptions {
  query: string;
  modalities: VideoModality[];
  groupBy: "none" | "item";
  includeMetadata: boolean;
}

const STOPWORDS = new Set(
  "a an and are as at be by can do does for from has have how i in is it its me my of on or show shows that the their them there these this to was what when where which who with".split(" "),
);
const ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

/** Lower-case words, a plural `s` dropped, stopwords out: "Changes" and "change" match. */
export function keywords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => !STOPWORDS.has(word)).map(stem);
}

function stem(word: string): string {
  return word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word;
}

interface ScoredClip {
  item: ItemRecord;
  order: number;
  score: number;
  match: VideoMatch | undefined;
}

export function rankHits(items: ItemRecord[], options: RankOptions): SearchHit[] {
  const wanted = new Set(keywords(options.query));
  const scored: ScoredClip[] = [];
  items.forEach((item, order) => {
    const nameWords = keywords(basename(item.filename, extname(item.filename)).replace(/([a-z])([A-Z])/g, "$1 $2"));
    if (item.assetType === "image") {
      const score = countMatches(wanted, [...nameWords, "image"]);
      if (score > 0) scored.push({ item, order, score, match: undefined });
      return;
    }
    for (const clip of clipsOf(item)) {
      const visual = options.modalities.includes("visual") ? countMatches(wanted, [...nameWords, ...clip.sceneWords]) : 0;
      const audio = options.modalities.includes("audio") ? countMatches(wanted, clip.spoken.flatMap(keywords)) : 0;
      const union = countMatches(wanted, [
        ...(visual > 0 ? [...nameWords, ...clip.sceneWords] : []),
        ...(audio > 0 ? clip.spoken.flatMap(keywords) : []),
      ]);
      if (union === 0) continue;
      const modalities: VideoModality[] = [...(visual > 0 ? ["visual" as const] : []), ...(audio > 0 ? ["audio" as const] : [])];
      const match: VideoMatch = { start_sec: clip.start, end_sec: clip.end, modalities, transcription: clip.spoken.length ? clip.spoken.join(" ") : undefined };
      scored.push({ item, order, score: union, match });
    }
  });
  scored.sort((a, b) => b.score - a.score || a.order - b.order || (a.match?.start_sec ?? 0) - (b.match?.start_sec ?? 0));

  if (options.groupBy === "none") return scored.map((clip, index) => hit(clip.item, index + 1, clip.match ? [clip.match] : [], options.includeMetadata));
  const groups = new Map<ItemRecord, VideoMatch[]>();
  for (const clip of scored) {
    const matches = groups.get(clip.item) ?? [];
    if (clip.match) matches.push(clip.match);
    groups.set(clip.item, matches);
  }
  return [...groups].map(([item, matches], index) => hit(item, index + 1, matches, options.includeMetadata));
}

function countMatches(wanted: Set<string>, words: string[]): number {
  const present = new Set(words);
  let count = 0;
  for (const word of wanted) if (present.has(word)) count += 1;
  return count;
}

interface Clip {
  start: number;
  end: number;
  sceneWords: string[];
  spoken: string[];
}

/** Clips between consecutive scene changes; the words spoken in each, placed by their midpoint. */
export function clipsOf(item: ItemRecord): Clip[] {
  const duration = item.facts.durationSec ?? 0;
  const cuts = (item.extraction?.sceneChanges ?? []).filter((t) => t > 0 && t < duration);
  const bounds = [0, ...cuts, duration];
  const words = wordsOf(item.extraction?.transcript ?? []);
  const count = bounds.length - 1;
  const clips: Clip[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = bounds[i]!;
    const end = bounds[i + 1]!;
    const position = [ORDINALS[i] ?? String(i + 1), String(i + 1)];
    if (i === 0) position.push("opening", "beginning", "start");
    if (i === count - 1) position.push("last", "final", "ending", "end");
    const spoken = words.filter((w) => (w.start + w.end) / 2 >= start && ((w.start + w.end) / 2 < end || (i === count - 1 && (w.start + w.end) / 2 <= end))).map((w) => w.value);
    clips.push({ start, end, sceneWords: ["scene", "shot", ...position], spoken });
  }
  return clips;
}

function hit(item: ItemRecord, rank: number, matches: VideoMatch[], includeMetadata: boolean): SearchHit {
  const video = item.facts.video[0];
  const size = { width: video?.width, height: video?.height, size: item.facts.sizeBytes };
  if (item.assetType === "image") {
    return { asset_type: "image", rank, item_id: item.id, metadata: includeMetadata ? { system: size, user: item.metadata } : undefined };
  }
  return {
    asset_type: "video",
    rank,
    item_id: item.id,
    metadata: includeMetadata ? { system: { duration: item.facts.durationSec, ...size }, user: item.metadata } : undefined,
    matches,
  };
}
