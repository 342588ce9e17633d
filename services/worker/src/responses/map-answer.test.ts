import { describe, expect, it } from "vitest";
import { idCandidates, mapAnswer } from "./map-answer.ts";

const upstream = {
  id: "resp_up",
  object: "response",
  status: "completed",
  session_id: "sess_up-0000-0000",
  knowledge_store_id: "ks_up-0000-0000",
  phase: "final_answer",
  output: [
    { type: "function_call", id: "fc_1", arguments: '{"item_ids":["ksi_up-aaaa-bbbb"]}' },
    { type: "function_call_output", id: "fco_1", output: '[{"item_id":"ksi_up-aaaa-bbbb","status":"ready"}]' },
    { type: "message", id: "msg_1", content: [{ type: "output_text", text: "x [1]", annotations: [{ type: "image_citation", item_id: "ksi_up-aaaa-bbbb", start_index: 2, end_index: 4, thumbnail_url: null }] }] },
  ],
  usage: { input_tokens: 3 },
};

describe("mapping an answer to Reelay's ids", () => {
  it("replaces response, store, session and item ids, inside function-call JSON too, and keeps every other field", () => {
    const mapped = mapAnswer(upstream, { responseId: "resp_ours", knowledgeStoreId: "ks_ours", sessionId: "sess_ours", ids: new Map([["ksi_up-aaaa-bbbb", "ksi_ours"]]) });
    expect(mapped).toMatchObject({ id: "resp_ours", knowledge_store_id: "ks_ours", session_id: "sess_ours", phase: "final_answer", usage: { input_tokens: 3 } });
    const text = JSON.stringify(mapped);
    expect(text).not.toContain("ksi_up-aaaa-bbbb");
    expect((mapped.output as Array<Record<string, unknown>>)[2]).toMatchObject({ content: [{ annotations: [{ type: "image_citation", item_id: "ksi_ours", thumbnail_url: null }] }] });
    // The input is left as it was (the raw answer is stored as received).
    expect(upstream.id).toBe("resp_up");
  });

  it("finds the tokens worth looking up", () => {
    expect(idCandidates(upstream)).toEqual(expect.arrayContaining(["ksi_up-aaaa-bbbb", "sess_up-0000-0000", "ks_up-0000-0000"]));
  });
});
