import { AppError, newId, notFound } from "@reelay/contract";
import type { CreateResponseBody, ResponseObject, ResponseOutputItem } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import { getKnowledgeStore } from "../knowledge-stores/get-knowledge-store.ts";
import type { ItemRecord, SessionRecord } from "../state/emulator-state.ts";
import { composeAnswer } from "./compose-answer.ts";

/** Answers a question about one knowledge store, continuing or starting a session. */
export function createResponse(ctx: EmulatorContext, body: CreateResponseBody): ResponseObject {
  const store = getKnowledgeStore(ctx, body.knowledge_store_id);
  rejectStructuredOutput(body.text);
  const session = openSession(ctx, store.id, body.session_id);
  const items = selectItems(ctx, store.id, body.selections);
  const question = body.input.at(-1)?.content ?? "";

  const answer = composeAnswer({ store, question, items });
  const output: ResponseOutputItem[] = [];
  if (body.include?.includes("intermediate_outputs")) output.push(...intermediateOutputs(session, items));
  output.push({
    type: "message",
    id: `msg_${session.id}_${session.turns}`,
    status: "completed",
    role: "assistant",
    content: [{ type: "output_text", text: answer.text, annotations: answer.annotations }],
  });
  session.turns += 1;

  const prompt = body.input.map((m) => m.content).join("\n") + (body.instructions ?? "");
  return {
    id: newId("response"),
    object: "response",
    type: "response",
    status: "completed",
    session_id: session.id,
    knowledge_store_id: store.id,
    output,
    // A rough 4-characters-per-token estimate of what a model would have read and written.
    usage: { input_tokens: estimateTokens(prompt) + estimateTokens(JSON.stringify(items.map((i) => i.extraction ?? {}))), output_tokens: estimateTokens(answer.text) },
    created_at: new Date().toISOString(),
  };
}

function openSession(ctx: EmulatorContext, storeId: string, sessionId: string | undefined): SessionRecord {
  if (sessionId === undefined) {
    const session: SessionRecord = { id: newId("session"), storeId, turns: 0 };
    ctx.state.sessions.set(session.id, session);
    return session;
  }
  const session = ctx.state.sessions.get(sessionId);
  if (!session) throw notFound("session", sessionId);
  if (session.storeId !== storeId) {
    throw invalid("session_id", `session ${sessionId} belongs to knowledge store ${session.storeId}, not ${storeId}.`);
  }
  return session;
}

/** Selections narrow the answer to named items; the emulator has no item collections. */
function selectItems(ctx: EmulatorContext, storeId: string, selections: CreateResponseBody["selections"]): ItemRecord[] {
  const all = ctx.state.itemsOf(storeId).sort((a, b) => a.seq - b.seq);
  if (!selections?.length) return all;
  for (const selection of selections) {
    if (selection.kind === "collection") throw notFound("knowledge_store_item_collection", selection.id, "item collections");
    if (!all.some((item) => item.id === selection.id)) throw invalid("selections", `item ${selection.id} is not in knowledge store ${storeId}.`);
  }
  return all.filter((item) => selections.some((s) => s.id === item.id));
}

function rejectStructuredOutput(text: CreateResponseBody["text"]): void {
  const format = text?.["format"];
  const type = format && typeof format === "object" && "type" in format ? (format as { type: unknown }).type : format;
  if (type !== undefined && type !== "text") {
    throw invalid("text.format", "the emulator answers in plain text only; structured output (json_schema) is not supported.");
  }
}

function intermediateOutputs(session: SessionRecord, items: ItemRecord[]): ResponseOutputItem[] {
  const callId = `call_${session.id}_${session.turns}`;
  const facts = items.map((item) => ({ item_id: item.id, status: item.status, filename: item.filename, extraction: item.extraction ?? null }));
  return [
    { type: "function_call", id: `fc_${session.id}_${session.turns}`, status: "completed", name: "read_item_facts", call_id: callId, arguments: JSON.stringify({ item_ids: items.map((i) => i.id) }) },
    { type: "function_call_output", id: `fco_${session.id}_${session.turns}`, status: "completed", call_id: callId, output: JSON.stringify(facts) },
  ];
}

function invalid(field: string, detail: string): AppError {
  const message = `The ${field} parameter is invalid: ${detail}`;
  return new AppError({ code: "response/invalid_parameter", platformCode: "parameter_invalid", status: 400, message, errors: [{ field, message: detail }] });
}

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
