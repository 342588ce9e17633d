import { AnswerFailure, readyItems } from "./answer-failure.ts";
import type { ReadyItem } from "./answer-failure.ts";
import { describeFormat, durationOf, listOf, num, plural, scenesOf, secs, STOP_WORDS } from "./compose-answer.ts";
import type { AnswerInput } from "./compose-answer.ts";
import type { JsonSchema } from "./json-schema-subset.ts";
import type { TextFormat } from "./text-format.ts";

type Entity = "item" | "scene" | "speech" | "silence" | "cut" | "word";
type Range = { startSec: number; endSec: number };

/** What a value describes: the whole answer, or one item, scene, speech segment... of it. */
interface Scope {
  kind: "answer" | Entity;
  /** All ready items for the answer, otherwise the one item the entity belongs to. */
  items: ReadyItem[];
  /** 1-based position among the entities of its item. */
  position: number;
  /** The entity's time range in its item (start = end for a scene cut); absent for a whole item. */
  range?: Range;
  /** The words of a speech segment, or the word of a `word`. */
  text?: string;
}

/** The words naming a property, then those of its description: the first source that means something decides. */
type Hint = Array<Set<string>>;

/** Array entries: the first entity whose words the array's name (or description) uses; scenes by default. */
const ENTITY_WORDS: Array<[Entity, string[]]> = [
  ["speech", ["transcript", "transcription", "speech", "utterance", "quote", "line", "dialog", "dialogue", "subtitle", "caption", "sentence", "spoken", "said"]],
  ["silence", ["silence", "silent", "pause", "quiet", "gap"]],
  ["cut", ["cut", "transition", "change", "boundary"]],
  ["word", ["keyword", "tag", "topic", "label", "word", "term"]],
  ["scene", ["scene", "shot", "segment", "chapter", "part", "moment", "highlight", "section", "event"]],
  ["item", ["video", "item", "clip", "file", "filename", "asset", "source", "media"]],
];
const ENTITY_PLURAL: Record<Entity, string> = { item: "indexed items", scene: "scenes", speech: "speech segments", silence: "silences", cut: "scene changes", word: "distinct words heard" };

const NUMBER_MEANINGS: Array<[string, string[]]> = [
  ["start", ["start", "begin", "beginning", "offset"]],
  ["end", ["end", "stop", "until"]],
  ["duration", ["duration", "length", "long", "second", "sec", "span"]],
  ["time", ["time", "timestamp", "when", "timecode"]],
  ["count", ["count", "total", "amount", "many", "quantity"]],
  ["width", ["width"]],
  ["height", ["height"]],
  ["fps", ["fps", "framerate", "frame"]],
  ["size", ["size", "byte"]],
  ["position", ["index", "idx", "position", "rank", "number", "num"]],
];
const STRING_MEANINGS: Array<[string, string[]]> = [
  ["speech", ["transcript", "transcription", "speech", "said", "spoken", "quote", "dialog", "dialogue", "words", "word", "caption", "subtitle", "lyric", "utterance"]],
  ["filename", ["filename", "file"]],
  ["title", ["title", "name", "label", "heading"]],
  ["id", ["id", "identifier"]],
  ["start", ["start", "begin"]],
  ["end", ["end", "stop"]],
  ["time", ["timestamp", "time", "range", "when", "timecode"]],
  ["codec", ["codec"]],
  ["resolution", ["resolution", "dimension"]],
  ["kind", ["type", "kind"]],
  ["question", ["question", "query", "prompt", "ask", "asked"]],
];
const BOOLEAN_MEANINGS: Array<[string, string[]]> = [
  ["speech", ["speech", "spoken", "speak", "speaking", "talk", "talking", "voice", "dialog", "dialogue", "word", "narration"]],
  ["silence", ["silence", "silent", "quiet", "pause"]],
  ["cut", ["cut", "transition", "change", "multiple"]],
  ["audio", ["audio", "sound"]],
  ["image", ["image", "photo", "picture", "still"]],
  ["video", ["video", "moving"]],
];

/**
 * Answers `text.format` json_schema with JSON built only from what indexing measured, so it
 * validates against the schema: every property is filled (the platform makes all of them required),
 * by what its name, or else its description, asks for (a `duration` gets the measured duration, a
 * `transcript` the recognised speech, `scenes` one entry per scene, any other string a sentence of
 * facts; an enum takes the value the facts mention, else its first).
 * @throws AnswerFailure when there is nothing indexed to answer from, or when the schema demands
 * what the facts cannot give (more entries than exist, a measured value outside its bounds):
 * the emulator fails the answer rather than invent data.
 */
export function composeStructuredAnswer(input: AnswerInput, format: Extract<TextFormat, { type: "json_schema" }>): string {
  const ready = readyItems(input.items);
  if (ready.length === 0) {
    throw new AnswerFailure(
      "no_indexed_items",
      `The knowledge store "${input.store.name}" has no indexed videos yet, so there are no facts to fill the ${format.name} schema with.`,
    );
  }
  const answer: Scope = { kind: "answer", items: ready, position: 1 };
  const hint: Hint = [words(format.name), words(`${format.description ?? ""} ${format.schema.description ?? ""}`)];
  return JSON.stringify(new SchemaFiller(input).fill(format.schema, answer, hint, "$"));
}

class SchemaFiller {
  constructor(private readonly input: AnswerInput) {}

  /** @param fallback the number to give when the facts hold none for a bare number (default 0, within bounds). */
  fill(schema: JsonSchema, scope: Scope, hint: Hint, path: string, fallback = 0): unknown {
    if (schema.enum) return this.pickEnum(schema.enum, scope);
    switch (schema.type) {
      case "object":
        return Object.fromEntries(
          Object.entries(schema.properties ?? {}).map(([name, child]) => [name, this.fill(child, scope, [words(name), words(child.description ?? "")], `${path}.${name}`)]),
        );
      case "array":
        return this.fillArray(schema, scope, hint, path);
      case "number":
      case "integer":
        return this.fillNumber(schema, scope, hint, path, fallback);
      case "boolean":
        return this.fillBoolean(scope, hint);
      default:
        return this.fillString(scope, hint);
    }
  }

  private fillArray(schema: JsonSchema, scope: Scope, hint: Hint, path: string): unknown[] {
    const items = schema.items ?? { type: "string" };
    const entity = meaning(hint, ENTITY_WORDS) ?? meaning([words(items.description ?? "")], ENTITY_WORDS) ?? "scene";
    const entries = childrenOf(scope, entity).slice(0, schema.maxItems ?? Number.POSITIVE_INFINITY);
    if (entries.length < (schema.minItems ?? 0)) {
      throw unsatisfiable(path, `needs at least ${schema.minItems} entries, but the extracted facts hold ${entries.length} ${ENTITY_PLURAL[entity]}`);
    }
    const entryHint: Hint = [...hint, words(items.description ?? "")];
    // A list of bare numbers nothing else explains (`scenes: number[]`) numbers its entries.
    return entries.map((entry, i) => this.fill(items, entry, entryHint, `${path}[${i}]`, entry.position));
  }

  private fillNumber(schema: JsonSchema, scope: Scope, hint: Hint, path: string, fallback: number): number {
    const measured = measure(scope, hint);
    const min = schema.minimum ?? Number.NEGATIVE_INFINITY;
    const max = schema.maximum ?? Number.POSITIVE_INFINITY;
    if (measured === undefined) {
      const within = Math.min(Math.max(fallback, min), max);
      return schema.type === "integer" ? Math.round(within) : within;
    }
    const value = schema.type === "integer" ? Math.round(measured) : Math.round(measured * 1000) / 1000;
    if (value < min || value > max) throw unsatisfiable(path, `the measured value ${value} is outside the schema's range [${schema.minimum ?? "-inf"}, ${schema.maximum ?? "inf"}]`);
    return value;
  }

  private fillBoolean(scope: Scope, hint: Hint): boolean {
    const item = scope.items[0];
    switch (meaning(hint, BOOLEAN_MEANINGS)) {
      case "speech":
        return speechOf(scope) !== "";
      case "silence":
        return scope.kind === "silence" || childrenOf(scope, "silence").length > 0;
      case "cut":
        return childrenOf(scope, "cut").length > 0;
      case "audio":
        return scope.items.some((i) => i.facts.audio.length > 0);
      case "image":
        return item?.assetType === "image";
      case "video":
        return item?.assetType === "video";
      default:
        return false;
    }
  }

  private fillString(scope: Scope, hint: Hint): string {
    const range = rangeOf(scope);
    const video = scope.items[0]?.facts.video[0];
    switch (meaning(hint, STRING_MEANINGS)) {
      case "speech":
        return speechOf(scope);
      case "filename":
        return scope.items.map((i) => i.filename).join(", ");
      case "title":
        return titleOf(scope);
      case "id":
        return scope.items.map((i) => i.id).join(", ");
      case "start":
        return clock(range.startSec);
      case "end":
        return clock(range.endSec);
      case "time":
        return range.startSec === range.endSec ? clock(range.startSec) : `${clock(range.startSec)}-${clock(range.endSec)}`;
      case "codec":
        return video?.codec ?? "unknown";
      case "resolution":
        return video ? `${video.width ?? "?"}x${video.height ?? "?"}` : "unknown";
      case "kind":
        return [...new Set(scope.items.map((i) => i.assetType))].join(", ");
      case "question":
        return this.input.question;
      default:
        return this.sentence(scope);
    }
  }

  /** The enum value the facts in scope mention (an asset type, a codec, a heard word...), else the first. */
  private pickEnum(values: Array<string | number | boolean>, scope: Scope): string | number | boolean {
    const said = new Set([
      ...scope.items.flatMap((i) => [i.assetType, i.facts.video[0]?.codec ?? "", i.facts.audio[0]?.codec ?? "", ...words(i.filename)]),
      ...words(speechOf(scope)),
      ...(speechOf(scope) ? ["speech", "spoken", "talking", "dialogue"] : []),
      ...(childrenOf(scope, "silence").length > 0 || scope.kind === "silence" ? ["silence", "silent", "quiet"] : []),
    ]);
    return values.find((value) => typeof value === "string" && [...words(value)].some((w) => said.has(w))) ?? (values[0] as string | number | boolean);
  }

  private sentence(scope: Scope): string {
    const item = scope.items[0];
    const range = rangeOf(scope);
    const where = `${item?.filename ?? "the video"}`;
    switch (scope.kind) {
      case "answer": {
        const list = scope.items.map((i) => `${i.filename} (${i.assetType === "image" ? "an image" : `${secs(durationOf(i))}, ${scenesOf(i).length} scene${plural(scenesOf(i).length)}`})`);
        return `${scope.items.length} indexed item${plural(scope.items.length)} in the knowledge store "${this.input.store.name}": ${listOf(list)}.`;
      }
      case "item":
        return item ? `${item.filename}: ${describeFormat(item)}.` : "";
      case "scene": {
        const speech = speechOf(scope);
        return `Scene ${scope.position} of ${where}, from ${num(range.startSec)} to ${secs(range.endSec)}${speech ? `, with the words "${speech}"` : ""}.`;
      }
      case "speech":
        return `Speech in ${where} from ${num(range.startSec)} to ${secs(range.endSec)}: "${scope.text ?? ""}".`;
      case "silence":
        return `Silence in ${where} from ${num(range.startSec)} to ${secs(range.endSec)}.`;
      case "cut":
        return `Scene change in ${where} at ${secs(range.startSec)}.`;
      case "word":
        return scope.text ?? "";
    }
  }
}

/** A number the facts give for what the hint asks, or undefined when they give none. */
function measure(scope: Scope, hint: Hint): number | undefined {
  const range = rangeOf(scope);
  const video = scope.items[0]?.facts.video[0];
  switch (numberMeaning(hint)) {
    case "start":
      return range.startSec;
    case "end":
      return range.endSec;
    case "duration":
      return scope.kind === "answer" ? scope.items.reduce((sum, i) => sum + durationOf(i), 0) : range.endSec - range.startSec;
    case "time":
      return range.startSec;
    case "count": {
      const entity = meaning(hint.map((source) => new Set([...source].filter((w) => !COUNT_WORDS.has(w)))), ENTITY_WORDS);
      return entity ? childrenOf(scope, entity).length : undefined;
    }
    case "width":
      return video?.width;
    case "height":
      return video?.height;
    case "fps":
      return video?.fps;
    case "size":
      return scope.items.reduce((sum, i) => sum + i.facts.sizeBytes, 0);
    case "position":
      return scope.kind === "answer" ? undefined : scope.position;
    default:
      return scope.kind === "cut" ? range.startSec : undefined;
  }
}

const COUNT_WORDS = new Set(["count", "total", "amount", "many", "quantity", "number", "num", "of", "how"]);

/** As `meaning`, except that "number of scenes" is a count, where "scene number" is a position. */
function numberMeaning(hint: Hint): string | undefined {
  for (const source of hint) {
    if ((source.has("number") || source.has("num")) && (source.has("of") || source.has("how"))) return "count";
    const found = meaning([source], NUMBER_MEANINGS);
    if (found) return found;
  }
  return undefined;
}

function childrenOf(scope: Scope, entity: Entity): Scope[] {
  if (scope.kind === "word") return [];
  if (entity === "item") return scope.items.map((item, i) => ({ kind: "item", items: [item], position: i + 1 }));
  if (entity === "word") {
    const heard = [...new Set(speechOf(scope).toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [])].filter((w) => w.length > 2 && !STOP_WORDS.has(w));
    return heard.map((word, i) => ({ kind: "word", items: scope.items, position: i + 1, text: word }));
  }
  return scope.items.flatMap((item) =>
    entriesOf(item, entity)
      .map((entry, i) => ({ kind: entity, items: [item], position: i + 1, range: { startSec: entry.startSec, endSec: entry.endSec }, text: entry.text }))
      .filter((child) => !scope.range || overlaps(child.range, scope.range)),
  );
}

function entriesOf(item: ReadyItem, entity: "scene" | "speech" | "silence" | "cut"): Array<Range & { text?: string }> {
  switch (entity) {
    case "scene":
      return scenesOf(item);
    case "speech":
      return item.extraction.transcript ?? [];
    case "silence":
      return item.extraction.silences;
    case "cut":
      return item.extraction.sceneChanges.map((at) => ({ startSec: at, endSec: at }));
  }
}

/** Ranges are [start, end); a scene cut (start = end) belongs to the scene it starts. */
function overlaps(a: Range, b: Range): boolean {
  const point = (r: Range) => r.startSec === r.endSec;
  if (point(a) && point(b)) return a.startSec === b.startSec;
  if (point(a)) return b.startSec <= a.startSec && a.startSec < b.endSec;
  if (point(b)) return a.startSec <= b.startSec && b.startSec < a.endSec;
  return a.startSec < b.endSec && b.startSec < a.endSec;
}

function rangeOf(scope: Scope): Range {
  return scope.range ?? { startSec: 0, endSec: Math.max(0, ...scope.items.map(durationOf)) };
}

function speechOf(scope: Scope): string {
  if (scope.kind === "speech" || scope.kind === "word") return scope.text ?? "";
  return childrenOf(scope, "speech")
    .map((segment) => segment.text ?? "")
    .join(" ");
}

function titleOf(scope: Scope): string {
  const filename = scope.items[0]?.filename ?? "the video";
  switch (scope.kind) {
    case "answer":
    case "item":
      return scope.items.map((i) => i.filename).join(", ");
    case "word":
      return scope.text ?? "";
    default:
      return `${filename}, ${scope.kind === "cut" ? "scene change" : scope.kind} ${scope.position}`;
  }
}

/** The platform's own timestamp style, as in its `[00:00-00:09]`. */
function clock(seconds: number): string {
  const whole = Math.floor(seconds);
  return `${String(Math.floor(whole / 60)).padStart(2, "0")}:${String(whole % 60).padStart(2, "0")}`;
}

function meaning<T extends string>(hint: Hint, table: Array<[T, string[]]>): T | undefined {
  for (const source of hint) {
    const found = table.find(([, names]) => names.some((name) => source.has(name)));
    if (found) return found[0];
  }
  return undefined;
}

/** The words of a name or description, lower-cased and singular: `sceneDurations` -> scene, duration. */
function words(text: string): Set<string> {
  const split = text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  return new Set(split.map((w) => (w.length > 4 && w.endsWith("ies") ? `${w.slice(0, -3)}y` : w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w)));
}

function unsatisfiable(path: string, reason: string): AnswerFailure {
  return new AnswerFailure("schema_not_satisfiable", `The answer cannot satisfy the text.format schema without inventing data: ${path} ${reason}.`);
}
