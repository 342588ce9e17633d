/**
 * fast-check arbitraries for input an attacker or a broken client sends: every code point
 * including NUL and lone surrogates, strings that mean something to some layer (`__proto__`,
 * `%00`, `../`), numbers at and beyond the edges of JSON, JSON nested thousands deep, duplicate
 * and prototype-polluting keys, malformed percent-encoding and multipart bodies.
 *
 * JSON is built as a tree and serialised here rather than with JSON.stringify, so that a body
 * can carry what no JavaScript object can: raw number tokens (`1e400`), duplicate keys, and an
 * own `__proto__` key.
 */
import fc from "fast-check";

/** Characters that have broken parsers, databases or terminals before. */
const notoriousChars = [
  "\u0000", "\ud800", "\udbff", "\udc00", "\udfff", "\ufeff", "\ufffe", "\uffff", "\u202e", "\u2028", "\u0085", "\u001b", "\u007f",
  "\r", "\n", "\t", "'", '"', "\\", "%", "/", "?", "#", "&", "=", "+", ";", ",", "$", "{", "}", "[", "]", "<", ">", "`", "*", ".",
  "\u{1f4a9}", "é", "e\u0301", "\u0130", "ß",
];

/** Any code point, a notorious one, or half of a surrogate pair on its own. */
export const hostileChar: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.constantFrom(...notoriousChars) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)) },
);

/** Strings some layer gives a meaning to. */
export const notoriousStrings = [
  "", " ", "null", "undefined", "NaN", "Infinity", "-1", "0", "1e309", "0x10", "true", "[]", "{}",
  "__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf",
  "' OR 1=1 --", "../../etc/passwd", "%00", "%", "%ZZ", "%E0%A4%A", "%ED%A0%80", "\u0000", "a\u0000b", "\ud800",
  "ks_", "ksi_", "job_", "resp_", "wh_", "whd_", "ks_00000000-0000-0000-0000-000000000000", "0123456789abcdef01234567", "ffffffffffffffffffffffff",
  "http://127.0.0.1:1/fuzz.mp4", "javascript:alert(1)", "file:///etc/passwd", "2024-02-30T00:00:00Z", "+275760-09-13T00:00:00Z", "9999-12-31T23:59:59.999Z",
];

/**
 * A hostile string. `maxHuge` bounds the occasional very long one: path and query strings must
 * stay under Node's 16 KiB header limit, which Node itself enforces (431) before the app sees them.
 */
export function hostileString(options: { maxLength?: number; maxHuge?: number } = {}): fc.Arbitrary<string> {
  const maxHuge = options.maxHuge ?? 0;
  return fc.oneof(
    { weight: 5, arbitrary: fc.string({ unit: hostileChar, maxLength: options.maxLength ?? 24 }) },
    { weight: 3, arbitrary: fc.constantFrom(...notoriousStrings) },
    { weight: maxHuge > 0 ? 1 : 0, arbitrary: fc.tuple(fc.constantFrom("a", "\u0000", "é", "%", "\u{1f4a9}"), fc.integer({ min: 1, max: Math.max(1, maxHuge) })).map(([unit, n]) => unit.repeat(n)) },
  );
}

/** JSON number tokens at and past the edges: what JSON.parse turns into Infinity, -0 or a rounded integer. */
const numberTokens = [
  "0", "-0", "1", "-1", "0.1", "1.5", "2147483647", "2147483648", "-2147483649", "9007199254740991", "9007199254740993", "-9007199254740993",
  "18446744073709551616", "123456789012345678901234567890", "1e308", "1.7976931348623157e308", "1e309", "-1e400", "1e-400", "5e-324", "1E2", "-0.0",
];

export type JsonTree =
  | { kind: "raw"; text: string }
  | { kind: "string"; value: string }
  | { kind: "array"; items: JsonTree[] }
  | { kind: "object"; entries: Array<[string, JsonTree]> };

export const raw = (text: string): JsonTree => ({ kind: "raw", text });
export const str = (value: string): JsonTree => ({ kind: "string", value });

/** A JSON-shaped value (JSON.parse's output) as a tree. */
export function fromJson(value: unknown): JsonTree {
  if (typeof value === "string") return str(value);
  if (Array.isArray(value)) return { kind: "array", items: value.map(fromJson) };
  if (value !== null && typeof value === "object") return { kind: "object", entries: Object.entries(value).map(([k, v]) => [k, fromJson(v)]) };
  return raw(JSON.stringify(value) ?? "null");
}

/** Serialises a tree; iterative, since a hostile tree may be nested tens of thousands deep. */
export function serialize(tree: JsonTree): string {
  const out: string[] = [];
  const pending: Array<JsonTree | string> = [tree];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (typeof next === "string") {
      out.push(next);
      continue;
    }
    switch (next.kind) {
      case "raw":
        out.push(next.text);
        break;
      case "string":
        out.push(JSON.stringify(next.value));
        break;
      case "array": {
        const parts: Array<JsonTree | string> = ["["];
        next.items.forEach((item, i) => parts.push(...(i > 0 ? [",", item] : [item])));
        parts.push("]");
        pending.push(...parts.reverse());
        break;
      }
      case "object": {
        const parts: Array<JsonTree | string> = ["{"];
        next.entries.forEach(([key, value], i) => parts.push(`${i > 0 ? "," : ""}${JSON.stringify(key)}:`, value));
        parts.push("}");
        pending.push(...parts.reverse());
        break;
      }
    }
  }
  return out.join("");
}

/** Keys that pollute prototypes or shadow built-ins, and the route's own field names. */
export function hostileKey(fieldNames: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "", ...(fieldNames.length ? fieldNames : ["x"])) },
    { weight: 2, arbitrary: hostileString({ maxLength: 12 }) },
  );
}

/** Arrays or objects nested `depth` deep: cheap to send, ruinous for anything recursive. */
export const deeplyNested: fc.Arbitrary<JsonTree> = fc
  .tuple(fc.integer({ min: 60, max: 20_000 }), fc.constantFrom(["[", "]"], ['{"a":', "}"], ['{"properties":{"a":', "}}"], ['{"items":', "}"]))
  .map(([depth, [open, close]]) => raw(`${open!.repeat(depth)}{}${close!.repeat(depth)}`));

/** Any hostile JSON value: wrong types, edge numbers, hostile strings, hostile keys, huge and deep shapes. */
export function hostileJson(fieldNames: readonly string[] = []): fc.Arbitrary<JsonTree> {
  const { tree } = fc.letrec<{ tree: JsonTree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      { weight: 4, arbitrary: hostileString({ maxHuge: 70_000 }).map(str) },
      { weight: 3, arbitrary: fc.constantFrom(...numberTokens, "true", "false", "null").map(raw) },
      { weight: 1, arbitrary: fc.double().map((n) => raw(Number.isFinite(n) ? String(n) : "1e999")) },
      { weight: 2, arbitrary: fc.array(tie("tree"), { maxLength: 4 }).map((items): JsonTree => ({ kind: "array", items })) },
      { weight: 2, arbitrary: fc.array(fc.tuple(hostileKey(fieldNames), tie("tree")), { maxLength: 4 }).map((entries): JsonTree => ({ kind: "object", entries })) },
      { weight: 1, arbitrary: deeplyNested },
    ),
  }));
  return tree;
}

export interface JsonMutation {
  /** Which node of the tree (preorder index, modulo the node count). */
  at: number;
  action: { kind: "replace"; value: JsonTree } | { kind: "insert"; key: string; value: JsonTree } | { kind: "delete" } | { kind: "duplicate" };
}

/** Mutations of a valid body: a hostile value in one place, a hostile key, a missing or repeated field. */
export function jsonMutations(fieldNames: readonly string[]): fc.Arbitrary<JsonMutation[]> {
  const action = fc.oneof(
    { weight: 5, arbitrary: hostileJson(fieldNames).map((value) => ({ kind: "replace" as const, value })) },
    { weight: 3, arbitrary: fc.tuple(hostileKey(fieldNames), hostileJson(fieldNames)).map(([key, value]) => ({ kind: "insert" as const, key, value })) },
    { weight: 1, arbitrary: fc.constant({ kind: "delete" as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: "duplicate" as const }) },
  );
  return fc.array(fc.record({ at: fc.nat(), action }), { minLength: 1, maxLength: 3 });
}

/** Applies mutations to a copy-on-write view of `tree`; the valid base stays untouched for the next run. */
export function mutate(tree: JsonTree, mutations: readonly JsonMutation[]): JsonTree {
  let result = tree;
  for (const mutation of mutations) result = mutateOnce(result, mutation);
  return result;
}

function mutateOnce(tree: JsonTree, mutation: JsonMutation): JsonTree {
  // Preorder list of containers and leaves with the way back to them.
  const nodes: Array<{ node: JsonTree; parent?: JsonTree; index?: number }> = [];
  const walk = (node: JsonTree, parent?: JsonTree, index?: number) => {
    nodes.push({ node, ...(parent ? { parent, index } : {}) });
    if (node.kind === "array") node.items.forEach((item, i) => walk(item, node, i));
    if (node.kind === "object") node.entries.forEach(([, value], i) => walk(value, node, i));
  };
  walk(tree);
  const target = nodes[mutation.at % nodes.length]!;
  const replaceNode = (replacement: JsonTree | undefined): JsonTree => {
    if (!target.parent) return replacement ?? raw("null");
    return rebuild(tree, target.node, replacement);
  };
  switch (mutation.action.kind) {
    case "replace":
      return replaceNode(mutation.action.value);
    case "delete":
      return replaceNode(undefined);
    case "duplicate":
      if (target.node.kind === "object" && target.node.entries.length > 0) {
        return rebuild(tree, target.node, { kind: "object", entries: [...target.node.entries, target.node.entries[0]!] });
      }
      return tree;
    case "insert":
      if (target.node.kind === "object") {
        return rebuild(tree, target.node, { kind: "object", entries: [...target.node.entries, [mutation.action.key, mutation.action.value]] });
      }
      if (target.node.kind === "array") return rebuild(tree, target.node, { kind: "array", items: [...target.node.items, mutation.action.value] });
      return replaceNode(mutation.action.value);
  }
}

/** A copy of `tree` with `old` replaced (or removed, when `replacement` is undefined). */
function rebuild(tree: JsonTree, old: JsonTree, replacement: JsonTree | undefined): JsonTree {
  if (tree === old) return replacement ?? raw("null");
  if (tree.kind === "array") {
    const items = tree.items.flatMap((item) => (item === old ? (replacement ? [replacement] : []) : [rebuild(item, old, replacement)]));
    return { kind: "array", items };
  }
  if (tree.kind === "object") {
    const entries = tree.entries.flatMap(([key, value]): Array<[string, JsonTree]> => (value === old ? (replacement ? [[key, replacement]] : []) : [[key, rebuild(value, old, replacement)]]));
    return { kind: "object", entries };
  }
  return tree;
}

/** A path segment as sent on the wire: percent-encoded text, or raw (possibly invalid) escapes. */
export const hostilePathSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostileString({ maxHuge: 600 }).map(percentEncode) },
  { weight: 2, arbitrary: fc.constantFrom("%00", "%", "%G0", "%ZZ", "%C3%28", "%ED%A0%80", "%F4%90%80%80", "%FF", "%2F", "%2e%2e", "..", ".", "%25", "a%00b", "%u0000", "%%32%65") },
);

/** Percent-encodes UTF-8 bytes; a lone surrogate becomes U+FFFD, as any UTF-8 encoder makes it. */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, "utf8")].map((byte) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`)).join("");
}

/** A query string of known and hostile keys, repeated keys, hostile values and broken escapes. */
export function hostileQuery(knownKeys: readonly string[]): fc.Arbitrary<string> {
  const key = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...(knownKeys.length ? knownKeys : ["page"])) }, { weight: 1, arbitrary: hostileString({ maxLength: 8 }) });
  const value = fc.oneof(
    { weight: 3, arbitrary: hostileString({ maxHuge: 400 }).map(percentEncode) },
    { weight: 2, arbitrary: fc.constantFrom(...numberTokens, "", "%00", "%", "%ZZ", "%ED%A0%80", "queued", "failed", "asc", "desc", "created_at", "1", "50", "51", "60", "61") },
  );
  const pair = fc.tuple(key, value).map(([k, v]) => `${percentEncode(k)}=${v}`);
  return fc.array(fc.oneof({ weight: 5, arbitrary: pair }, { weight: 1, arbitrary: fc.constantFrom("&", "=", "==", "%", "a[b]=c", "a[]=1", "__proto__[x]=1", "constructor[prototype][x]=1") }), { maxLength: 6 }).map((pairs) => pairs.join("&"));
}

/** Content types a JSON route may be sent; only header-legal values, or fetch refuses to send them. */
export const jsonishContentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant("application/json") },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "application/json; charset=utf-8", "application/json; charset=latin1", "application/json; charset=utf-16", "application/json; charset=bogus",
      "application/merge-patch+json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "multipart/mixed", "*/*",
      "application/octet-stream", "application/json;;", "application/", "",
    ),
  },
);

export interface MultipartPart {
  /** Undefined: a part without a name (busboy/multer refuse it). */
  name?: string;
  filename?: string;
  contentType?: string;
  value: string;
}

/** Valid `POST /assets` forms to start from: a URL the platform cannot fetch, or a tiny direct upload. */
const validAssetForms: MultipartPart[][] = [
  [{ name: "method", value: "url" }, { name: "url", value: "http://127.0.0.1:1/fuzz.mp4" }],
  [{ name: "method", value: "url" }, { name: "url", value: "https://example.invalid/v.mp4" }, { name: "filename", value: "v.mp4" }, { name: "user_metadata", value: '{"k":"v","n":1,"b":true}' }],
  [{ name: "method", value: "direct" }, { name: "file", filename: "clip.mp4", contentType: "video/mp4", value: "not really a video" }],
];

const assetFieldNames = ["method", "url", "filename", "user_metadata", "enable_hls", "enable_thumbnail", "file"];

/** How a multipart body can be broken beyond its fields' values. */
type Framing = "intact" | "truncated" | "no-closing-boundary" | "garbage-header" | "wrong-boundary" | "lf-only";

function renderMultipart(parts: readonly MultipartPart[], boundary: string, framing: Framing, cutAt: number, encoding: BufferEncoding): Buffer {
  const lineBreak = framing === "lf-only" ? "\n" : "\r\n";
  const sections = parts.map((part) => {
    const disposition = ["form-data", ...(part.name !== undefined ? [`name="${part.name}"`] : []), ...(part.filename !== undefined ? [`filename="${part.filename}"`] : [])].join("; ");
    const headers = [`Content-Disposition: ${disposition}`, ...(part.contentType !== undefined ? [`Content-Type: ${part.contentType}`] : []), ...(framing === "garbage-header" ? ["X-Garbage"] : [])];
    return `--${framing === "wrong-boundary" ? "other" : boundary}${lineBreak}${headers.join(lineBreak)}${lineBreak}${lineBreak}${part.value}${lineBreak}`;
  });
  let text = sections.join("") + (framing === "no-closing-boundary" ? "" : `--${boundary}--${lineBreak}`);
  if (framing === "truncated") text = text.slice(0, cutAt % Math.max(1, text.length));
  return Buffer.from(text, encoding);
}

/** A `POST /assets` body: a valid form with hostile fields, hostile parts, broken framing or a wrong content type. */
export const hostileAssetForm: fc.Arbitrary<{ contentType: string; body: Buffer; description: string }> = fc
  .record({
    base: fc.constantFrom(...validAssetForms),
    edits: fc.array(
      fc.oneof(
        { weight: 3, arbitrary: fc.record({ kind: fc.constant("value" as const), at: fc.nat(), value: hostileString({ maxHuge: 70_000 }) }) },
        { weight: 2, arbitrary: fc.record({ kind: fc.constant("add" as const), name: fc.option(hostileKey(assetFieldNames), { nil: undefined }), filename: fc.option(hostileString({ maxLength: 12 }), { nil: undefined }), value: hostileString() }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant("drop" as const), at: fc.nat() }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant("filename" as const), at: fc.nat(), value: hostileString({ maxLength: 12 }) }) },
      ),
      { maxLength: 3 },
    ),
    framing: fc.oneof({ weight: 6, arbitrary: fc.constant<Framing>("intact") }, { weight: 3, arbitrary: fc.constantFrom<Framing>("truncated", "no-closing-boundary", "garbage-header", "wrong-boundary", "lf-only") }),
    cutAt: fc.nat(),
    encoding: fc.constantFrom<BufferEncoding>("utf8", "utf8", "utf8", "latin1"),
    contentType: fc.oneof(
      { weight: 8, arbitrary: fc.constant("multipart/form-data; boundary=fuzzfuzz") },
      { weight: 2, arbitrary: fc.constantFrom("multipart/form-data", "multipart/mixed; boundary=fuzzfuzz", "multipart/form-data; boundary=", "multipart/form-data; boundary=other", "multipart/alternative; boundary=fuzzfuzz", "application/json", "text/plain", "application/x-www-form-urlencoded", "") },
    ),
  })
  .map(({ base, edits, framing, cutAt, encoding, contentType }) => {
    const parts: MultipartPart[] = base.map((part) => ({ ...part }));
    for (const edit of edits) {
      if (edit.kind === "add") parts.push({ ...(edit.name !== undefined ? { name: edit.name } : {}), ...(edit.filename !== undefined ? { filename: edit.filename } : {}), value: edit.value });
      else if (parts.length > 0) {
        const index = edit.at % parts.length;
        if (edit.kind === "drop") parts.splice(index, 1);
        else if (edit.kind === "value") parts[index]!.value = edit.value;
        else parts[index]!.filename = edit.value;
      }
    }
    return {
      contentType,
      body: renderMultipart(parts, "fuzzfuzz", framing, cutAt, encoding),
      description: `${framing} ${encoding} ${JSON.stringify(parts).slice(0, 400)}`,
    };
  });

/** A header value fetch will send: Latin-1 without NUL, CR or LF (anything else it refuses before sending). */
export const hostileHeaderValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: fc.oneof(fc.integer({ min: 0x21, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff })).map((code) => String.fromCharCode(code)), maxLength: 300 }) },
  { weight: 2, arbitrary: fc.constantFrom("-1", "0", "1", "9007199254740993", "1e400", "NaN", "%00", "../", "a".repeat(4_000), "__proto__") },
);
