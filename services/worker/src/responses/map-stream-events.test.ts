import { describe, expect, it } from "vitest";
import type { ResponseStreamEvent } from "@reelay/contract";
import type { IdMap } from "./map-answer.ts";
import { createStreamEventMapper } from "./map-stream-events.ts";

const ids: IdMap = {
  responseId: "resp_ours",
  knowledgeStoreId: "ks_ours",
  sessionId: "sess_ours",
  ids: new Map([
    ["ksi_up-aaaa-bbbb", "ksi_ours"],
    ["sess_up-0000-0000", "sess_ours"],
  ]),
};

async function mapAll(events: Array<Omit<ResponseStreamEvent, "sequence_number">>) {
  const seen: unknown[] = [];
  const mapper = createStreamEventMapper(async (value) => {
    seen.push(value);
    return ids;
  });
  const out: ResponseStreamEvent[] = [];
  for (const [i, event] of events.entries()) out.push(...(await mapper.push({ ...event, sequence_number: i } as ResponseStreamEvent)));
  out.push(...(await mapper.flush()));
  return { out, seen };
}

const at = { item_id: "msg_sess_up-0000-0000_0", output_index: 1, content_index: 0 };

describe("mapping a stream's events to Reelay's ids", () => {
  it("maps response snapshots, item ids, arguments and text, one event out per event in, sequence numbers kept", async () => {
    const { out } = await mapAll([
      { type: "response.created", response: { id: "resp_up-1111-2222", status: "in_progress", session_id: "sess_up-0000-0000", knowledge_store_id: "ks_up", output: [] } },
      { type: "response.function_call_arguments.done", item_id: "fc_1", output_index: 0, arguments: '{"item_ids":["ksi_up-aaaa-bbbb"]}' },
      { type: "response.output_item.added", output_index: 1, item: { type: "message", id: at.item_id, content: [] } },
      { type: "response.output_text.delta", ...at, delta: "Seen in ksi_up-aa" },
      { type: "response.output_text.delta", ...at, delta: "aa-bbbb [1]. Then" },
      { type: "response.output_text.delta", ...at, delta: " more." },
      { type: "response.output_text.done", ...at, text: "Seen in ksi_up-aaaa-bbbb [1]. Then more." },
      { type: "response.content_part.done", ...at, part: { type: "output_text", text: "x", annotations: [{ type: "video_citation", item_id: "ksi_up-aaaa-bbbb" }] } },
    ]);
    expect(out.map((e) => e.sequence_number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(out[0]).toMatchObject({ type: "response.created", response: { id: "resp_ours", session_id: "sess_ours", knowledge_store_id: "ks_ours" } });
    expect(out[1]).toMatchObject({ arguments: '{"item_ids":["ksi_ours"]}' });
    expect(out[2]).toMatchObject({ item: { id: "msg_sess_ours_0" } });
    const deltas = out.filter((e) => e.type === "response.output_text.delta");
    expect(deltas.map((e) => e.item_id)).toEqual(["msg_sess_ours_0", "msg_sess_ours_0", "msg_sess_ours_0"]);
    // The id cut between the first two deltas moved whole into the second one, and was mapped.
    expect(deltas.map((e) => e.delta)).toEqual(["Seen in ", "ksi_ours [1]. Then", " more."]);
    expect(deltas.map((e) => e.delta).join("")).toBe(out[6]!.text);
    expect(out[6]!.text).toBe("Seen in ksi_ours [1]. Then more.");
    expect(out[7]).toMatchObject({ part: { annotations: [{ item_id: "ksi_ours" }] } });
  });

  it("holds a delta only until the next event, and sends the last one at the end", async () => {
    const mapper = createStreamEventMapper(async () => ids);
    expect(await mapper.push({ type: "response.output_text.delta", sequence_number: 4, ...at, delta: "Hello" })).toEqual([]);
    const next = await mapper.push({ type: "response.output_text.delta", sequence_number: 5, ...at, delta: " world" });
    expect(next).toMatchObject([{ sequence_number: 4, delta: "Hello" }]);
    expect(await mapper.flush()).toMatchObject([{ sequence_number: 5, delta: " world" }]);
    expect(await mapper.flush()).toEqual([]);
  });

  it("looks ids up in the text as it will be sent, a cut id whole", async () => {
    const { seen } = await mapAll([
      { type: "response.output_text.delta", ...at, delta: "ksi_up-aa" },
      { type: "response.output_text.delta", ...at, delta: "aa-bbbb" },
    ]);
    expect(seen).toEqual([expect.objectContaining({ delta: "" }), expect.objectContaining({ delta: "ksi_up-aaaa-bbbb" })]);
  });
});
