import type { Extraction } from "../media/media-facts.ts";
import type { ItemRecord } from "../state/emulator-state.ts";
import type { ResponseError } from "@reelay/contract";

/**
 * An answer that cannot be produced. The request itself was valid, so this is not an HTTP error:
 * the response ends with `status: "failed"` (and a `response.failed` event when streamed).
 */
export class AnswerFailure extends Error {
  constructor(
    readonly code: "no_indexed_items" | "schema_not_satisfiable",
    message: string,
  ) {
    super(message);
    this.name = "AnswerFailure";
  }

  toWire(): ResponseError {
    return { code: this.code, message: this.message };
  }
}

export type ReadyItem = ItemRecord & { extraction: Extraction };

/**
 * The items an answer can draw on. When there were candidates and every one of them failed to
 * index, nothing will ever be answerable from them, so the answer fails (items still indexing,
 * or none at all, get an answer that says so).
 */
export function readyItems(items: ItemRecord[]): ReadyItem[] {
  if (items.length > 0 && items.every((item) => item.status === "failed")) {
    const reasons = items.map((item) => `${item.id}: ${item.failure ?? "indexing failed"}`).join("; ");
    const which = items.length === 1 ? "The only item" : `All ${items.length} items`;
    throw new AnswerFailure("no_indexed_items", `${which} this response could draw on failed to index (${reasons}), so there is nothing to answer from.`);
  }
  return items.filter((item): item is ReadyItem => item.status === "ready" && item.extraction !== undefined);
}
