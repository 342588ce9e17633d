import { describe, expect, it } from "vitest";
import { findUnstorableInput, MAX_INPUT_DEPTH } from "./unstorable-input.ts";

const nested = (depth: number): unknown => JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`);

describe("findUnstorableInput", () => {
  it("when every string is plain Unicode, astral characters included > finds nothing", () => {
    expect(findUnstorableInput({ name: "café 💩 e\u0301", metadata: { "clé": "v" }, list: ["a", 1, true, null] })).toBeUndefined();
  });

  it("when a value holds a NUL > names its path, array indexes included", () => {
    expect(findUnstorableInput({ input: [{ content: "ok" }, { content: "a\u0000b" }] })).toEqual({ path: ["input", 1, "content"], message: "must not contain NUL (\\u0000) characters" });
  });

  it("when a key holds a NUL > names the object holding it, not the key", () => {
    expect(findUnstorableInput({ metadata: { "k\u0000": "v" } })).toEqual({ path: ["metadata"], message: "keys must not contain NUL (\\u0000) characters" });
  });

  it("when a string holds a lone high or low surrogate > names it", () => {
    for (const text of ["\ud800", "a\udbffb", "\udc00", "x\udfff"]) {
      expect(findUnstorableInput({ text })?.path).toEqual(["text"]);
    }
  });

  it("reports the first problem in document order", () => {
    expect(findUnstorableInput({ a: "fine", b: "\u0000", c: "\ud800" })?.path).toEqual(["b"]);
  });

  it(`when JSON is nested ${MAX_INPUT_DEPTH} levels or more > names where; one level less passes`, () => {
    expect(findUnstorableInput(nested(MAX_INPUT_DEPTH))).toBeUndefined();
    const found = findUnstorableInput(nested(MAX_INPUT_DEPTH + 1));
    expect(found?.path).toHaveLength(MAX_INPUT_DEPTH);
    expect(found?.message).toBe(`must not be nested deeper than ${MAX_INPUT_DEPTH} levels`);
  });

  it("when JSON is nested 100 000 levels deep > answers without overflowing the stack", () => {
    expect(findUnstorableInput({ text: nested(100_000) })?.path).toHaveLength(MAX_INPUT_DEPTH);
  });

  it("looks at own keys only, which is all JSON.stringify (and so Prisma) writes", () => {
    const inherited = Object.create({ hidden: "\u0000" }) as Record<string, unknown>;
    inherited.shown = "fine";
    expect(findUnstorableInput(inherited)).toBeUndefined();
  });
});
