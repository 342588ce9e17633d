import { invalidParameter, newId, notFound } from "@reelay/contract";
import type { CreateResponseBody } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import { getKnowledgeStore } from "../knowledge-stores/get-knowledge-store.ts";
import type { ItemRecord, SessionRecord } from "../state/emulator-state.ts";
import { AnswerFailure } from "./answer-failure.ts";
import { citationMediaOf } from "./citation-media.ts";
import { composeAnswer } from "./compose-answer.ts";
import type { AnswerInput } from "./compose-answer.ts";
import { composeStructuredAnswer } from "./compose-structured-answer.ts";
import { resolveSelections } from "./resolve-selections.ts";
import type { OutputTextPart, ResponseObject, ResponseOutputItem } from "@reelay/contract";
import { parseTextFormat } from "./text-format.ts";
import type { TextFormat } from "./text-format.ts";

/**
 * Answers a question about one knowledge store, continuing or starting a session. An invalid
 * request throws (an HTTP error); an answer that cannot be produced from a valid request is a
 * `failed` response (see AnswerFailure). `origin` is where the client reached the emulator, for
 * the thumbnail and HLS URLs of citations.
 */
export function createResponse(ctx: EmulatorContext, body: CreateResponseBody, origin: string): ResponseObject {
  const store = getKnowledgeStore(ctx, body.knowledge_store_id);
  const format = parseTextFormat(body.text);
  const items = resolveSelections(ctx, store.id, body.selections);
  const session = openSession(ctx, store.id, body.session_id);
  const question = body.input.at(-1)?.content ?? "";

  const output: ResponseOutputItem[] = body.include?.includes("intermediate_outputs") ? intermediateOutputs(session, items) : [];
  const prompt = body.input.map((m) => m.content).join("\n") + (body.instructions ?? "");
  // A rough 4-characters-per-token estimate of what a model would have read and written.
  const inputTokens = estimateTokens(prompt) + estimateTokens(JSON.stringify(items.map((i) => i.extraction ?? {})));
  const response = (status: "completed" | "failed", outputTokens: number, error?: AnswerFailure): ResponseObject => ({
    id: newId("response"),
    type: "response",
    object: "response",
    status,
    incomplete_details: null,
    ...(error ? { error: error.toWire() } : {}),
    output,
    usage: { input_tokens: inputTokens, output_tokens: outputTokens },
    session_id: session.id,
    knowledge_store_id: store.id,
    created_at: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
  });

  let part: OutputTextPart;
  try {
    part = composePart(format, { store, question, items, media: citationMediaOf(ctx, origin) });
  } catch (error) {
    if (error instanceof AnswerFailure) return response("failed", 0, error);
    throw error;
  }
  output.push({ type: "message", id: `msg_${session.id}_${session.turns}`, status: "completed", role: "assistant", phase: "final_answer", content: [part] });
  session.turns += 1;
  return response("completed", estimateTokens(part.text));
}

function composePart(format: TextFormat, input: AnswerInput): OutputTextPart {
  if (format.type === "json_schema") return { type: "output_text", text: composeStructuredAnswer(input, format), annotations: [] };
  const answer = composeAnswer(input);
  return { type: "output_text", text: answer.text, annotations: answer.annotations };
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
    throw invalidParameter("session_id", `session ${sessionId} belongs to knowledge store ${session.storeId}, not ${storeId}.`, "response");
  }
  return session;
}

function intermediateOutputs(session: SessionRecord, items: ItemRecord[]): ResponseOutputItem[] {
  const callId = `call_${session.id}_${session.turns}`;
  const facts = items.map((item) => ({ item_id: item.id, status: item.status, filename: item.filename, extraction: item.extraction ?? null }));
  return [
    { type: "function_call", id: `fc_${session.id}_${session.turns}`, status: "completed", name: "read_item_facts", call_id: callId, arguments: JSON.stringify({ item_ids: items.map((i) => i.id) }) },
    { type: "function_call_output", id: `fco_${session.id}_${session.turns}`, status: "completed", call_id: callId, output: JSON.stringify(facts) },
  ];
}

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
