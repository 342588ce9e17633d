/**
 * Rewrites the platform's ids in an answer to Reelay's: the response, store and session ids, and
 * every platform id in the output and a failure's `error`, wherever it appears (citations,
 * function-call arguments and outputs, which are JSON text, output item ids, which may embed the
 * session's, and reasons naming items). Pure: the caller looks the ids up. Everything else is
 * kept exactly as the platform sent it.
 */
export interface IdMap {
  responseId: string;
  knowledgeStoreId: string;
  sessionId: string | undefined;
  /** upstream id → Reelay id, for items (and any other object the answer may name). */
  ids: ReadonlyMap<string, string>;
}

/** Tokens in an answer that may be platform ids, to look up before mapping. */
export function idCandidates(answer: unknown): string[] {
  const found = new Set<string>();
  const text = JSON.stringify(answer);
  for (const match of text.matchAll(/[A-Za-z][A-Za-z0-9]{0,9}_[A-Za-z0-9-]{8,64}|\b[0-9a-f]{24}\b/g)) found.add(match[0]);
  return [...found];
}

/** `text` with known platform ids replaced. Every id is a run of `[A-Za-z0-9_-]`: cut text only between runs. */
export function replaceIds(text: string, ids: ReadonlyMap<string, string>): string {
  if (ids.size === 0) return text;
  return text.replace(/[A-Za-z][A-Za-z0-9]{0,9}_[A-Za-z0-9-]{8,64}|\b[0-9a-f]{24}\b/g, (token) => ids.get(token) ?? token);
}

/** Every string inside `value`, with known platform ids replaced. */
export function replaceDeep(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof value === "string") return replaceIds(value, ids);
  if (Array.isArray(value)) return value.map((entry) => replaceDeep(entry, ids));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, replaceDeep(entry, ids)]));
  return value;
}

export function mapAnswer(answer: Record<string, unknown>, map: IdMap): Record<string, unknown> {
  return {
    ...answer,
    id: map.responseId,
    knowledge_store_id: map.knowledgeStoreId,
    ...(map.sessionId !== undefined ? { session_id: map.sessionId } : {}),
    ...(Array.isArray(answer.output) ? { output: replaceDeep(answer.output, map.ids) } : {}),
    // A failure's reason may name items ("ksi_…: failed to index").
    ...(answer.error && typeof answer.error === "object" ? { error: replaceDeep(answer.error, map.ids) } : {}),
  };
}
