/**
 * Input that passes a zod schema can still be input Postgres (or Prisma) cannot take:
 *
 * - a NUL character: text columns refuse it (22021 "invalid byte sequence"), jsonb refuses its
 *   `\u0000` escape (22P05 "unsupported Unicode escape sequence");
 * - an unpaired UTF-16 surrogate (`"\ud800"` is valid JSON): Prisma's query engine cannot even
 *   read the query ("JSON Error: unexpected end of hex escape");
 * - deep nesting: past 128 levels Prisma's query engine refuses the query ("recursion limit
 *   exceeded"), and some thousands deep (a 1 MB body holds 100 000 levels) the recursive
 *   enrichment-schema check overflows the stack. JSON.parse itself copes.
 *
 * A client reaches all of these with `%00` in a path, a query string, a JSON or multipart body,
 * so `parse` checks every validated value here, naming the field, before anything is written.
 */

/**
 * Deeper than any real request needs (an enrichment schema nests two levels per property), and
 * well inside Prisma's 128, which also counts the levels an event payload wraps around a value.
 */
export const MAX_INPUT_DEPTH = 64;

export interface UnstorableInput {
  /** Where the value sits, as a path into the input (`metadata.k`, `input.0.content`). */
  path: PropertyKey[];
  message: string;
}

const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with a string, as the end of "must not contain …", or undefined. */
function problemWithText(text: string): string | undefined {
  if (text.includes("\u0000")) return "NUL (\\u0000) characters";
  if (unpairedSurrogate.test(text)) return "unpaired UTF-16 surrogates (it is not valid Unicode)";
  return undefined;
}

/**
 * The first string, object key or nesting level in `value` that cannot be stored, or undefined.
 * Iterative, so that the check itself cannot overflow the stack on hostile nesting.
 */
export function findUnstorableInput(value: unknown): UnstorableInput | undefined {
  const pending: Array<{ value: unknown; path: PropertyKey[] }> = [{ value, path: [] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value: current, path } = next;
    if (typeof current === "string") {
      const message = problemWithText(current);
      if (message) return { path, message: `must not contain ${message}` };
      continue;
    }
    if (current === null || typeof current !== "object") continue;
    if (path.length >= MAX_INPUT_DEPTH) return { path, message: `must not be nested deeper than ${MAX_INPUT_DEPTH} levels` };
    // Own enumerable keys only: they are what JSON.stringify, and so Prisma, would write.
    const keys = Object.keys(current);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      const keyProblem = problemWithText(key);
      // Named by the object holding the key: echoing the hostile key back helps no one.
      if (keyProblem) return { path, message: `keys must not contain ${keyProblem}` };
      pending.push({ value: (current as Record<string, unknown>)[key], path: [...path, Array.isArray(current) ? Number(key) : key] });
    }
  }
  return undefined;
}
