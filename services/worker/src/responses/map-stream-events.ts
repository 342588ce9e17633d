import type { ResponseStreamEvent } from "@reelay/contract";
import { mapAnswer, replaceDeep, type IdMap } from "./map-answer.ts";

const DELTA = "response.output_text.delta";
/** The characters platform ids are made of: text is only ever cut between runs of them. */
const TRAILING_RUN = /[A-Za-z0-9_-]*$/;
const STARTS_WITH_RUN = /^[A-Za-z0-9_-]/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Maps a stream's events to Reelay's ids, one out for each one in, in order, so sequence numbers
 * stay the platform's: a `response` snapshot like a whole answer (mapAnswer), every other field
 * (item ids, annotations, function-call arguments and outputs, text) by replacing known platform
 * ids. `resolve` learns the ids a value names (a database look-up) and returns the map to use.
 *
 * Text deltas are cut wherever the platform cut them, possibly inside an id. So each delta is held
 * until the next event: when the next delta goes on with the same word, the word's start moves
 * into it. Ids are thus never cut, and the mapped deltas concatenate to the mapped full text.
 */
export function createStreamEventMapper(resolve: (value: unknown) => Promise<IdMap>) {
  let held: ResponseStreamEvent | undefined;
  let carry = "";

  async function map(event: ResponseStreamEvent): Promise<ResponseStreamEvent> {
    const ids = await resolve(event);
    const { type, sequence_number, response, ...rest } = event;
    return {
      ...(replaceDeep(rest, ids.ids) as Record<string, unknown>),
      type,
      sequence_number,
      ...(isRecord(response) ? { response: mapAnswer(response, ids) } : response !== undefined ? { response } : {}),
    };
  }

  async function release(next: ResponseStreamEvent | undefined): Promise<ResponseStreamEvent> {
    const delta = held!;
    held = undefined;
    const text = carry + (delta.delta as string);
    const continues = next?.type === DELTA && samePart(next, delta) && typeof next.delta === "string" && STARTS_WITH_RUN.test(next.delta);
    const cut = continues ? text.length - (TRAILING_RUN.exec(text)?.[0].length ?? 0) : text.length;
    carry = text.slice(cut);
    return map({ ...delta, delta: text.slice(0, cut) });
  }

  return {
    /** Takes the next platform event; returns the mapped events now ready to send (none, one or two). */
    async push(event: ResponseStreamEvent): Promise<ResponseStreamEvent[]> {
      const out: ResponseStreamEvent[] = [];
      if (held) out.push(await release(event));
      if (event.type === DELTA && typeof event.delta === "string") {
        held = event;
        return out;
      }
      out.push(await map(event));
      return out;
    },
    /** The stream is over: whatever is still held. */
    async flush(): Promise<ResponseStreamEvent[]> {
      return held ? [await release(undefined)] : [];
    },
  };
}

function samePart(a: ResponseStreamEvent, b: ResponseStreamEvent): boolean {
  return a.item_id === b.item_id && a.output_index === b.output_index && a.content_index === b.content_index;
}
