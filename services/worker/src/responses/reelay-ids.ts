import { newId } from "@reelay/contract";
import type { Db } from "@reelay/db";
import { idCandidates, type IdMap } from "./map-answer.ts";

/** Where an answer belongs: the response and store, in Reelay's ids and the platform's. */
export interface AnswerScope {
  tenantId: string;
  responseId: string;
  storeId: string;
  upstreamStoreId: string | null;
}

export type IdResolver = ReturnType<typeof createIdResolver>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Learns, from what the platform sends, which of its ids stand for which of Reelay's, for
 * mapAnswer: the store and response, the session (recorded as Reelay's own on first sight), items
 * and collections (each candidate token looked up once, so a stream of deltas costs no query per event).
 * Accepts a response object or a stream event carrying one in `response`.
 */
export function createIdResolver(db: Db, at: AnswerScope) {
  const ids = new Map<string, string>();
  if (at.upstreamStoreId) ids.set(at.upstreamStoreId, at.storeId);
  const looked = new Set<string>();
  let sessionId: string | undefined;

  const idMap = (): IdMap => ({ responseId: at.responseId, knowledgeStoreId: at.storeId, sessionId, ids });

  return {
    idMap,
    /** Learns the ids `value` names and returns the map to rewrite it with. */
    async learn(value: unknown): Promise<IdMap> {
      const response = isRecord(value) && isRecord(value.response) ? value.response : isRecord(value) && value.object === "response" ? value : undefined;
      if (typeof response?.id === "string") ids.set(response.id, at.responseId);
      const upstreamSession = response?.session_id;
      if (typeof upstreamSession === "string" && !ids.has(upstreamSession)) {
        sessionId = await recordSession(db, at, upstreamSession);
        ids.set(upstreamSession, sessionId);
      }
      const fresh = idCandidates(value).filter((token) => !looked.has(token) && !ids.has(token));
      if (fresh.length > 0) {
        for (const token of fresh) looked.add(token);
        // Items, and collections (collection citations, collection selections echoed back): one statement.
        const named = await db.$queryRaw<Array<{ id: string; upstream_id: string; kind: "item" | "collection" }>>`
          SELECT "id", "upstream_id", 'item' AS "kind" FROM "knowledge_store_items"
          WHERE "knowledge_store_id" = ${at.storeId} AND "upstream_id" = ANY(${fresh}::text[])
          UNION ALL
          SELECT "id", "upstream_id", 'collection' AS "kind" FROM "item_collections"
          WHERE "knowledge_store_id" = ${at.storeId} AND "upstream_id" = ANY(${fresh}::text[])`;
        for (const item of named) if (item.kind === "item") ids.set(item.upstream_id, item.id);
        for (const collection of named) if (collection.kind === "collection" && !ids.has(collection.upstream_id)) ids.set(collection.upstream_id, collection.id);
      }
      return idMap();
    },
  };
}

/**
 * Reelay's id for the platform's session, recorded on first sight. One statement (Prisma's upsert
 * takes a transaction of its own, four round trips); a concurrent insert of the same session waits
 * for the other and returns its id.
 */
async function recordSession(db: Db, at: AnswerScope, upstreamId: string): Promise<string> {
  const [session] = await db.$queryRaw<Array<{ id: string }>>`
    INSERT INTO "response_sessions" ("id", "tenant_id", "knowledge_store_id", "upstream_id", "created_at")
    VALUES (${newId("session")}, ${at.tenantId}, ${at.storeId}, ${upstreamId}, (now() AT TIME ZONE 'UTC'))
    ON CONFLICT ("upstream_id") DO UPDATE SET "upstream_id" = EXCLUDED."upstream_id"
    RETURNING "id"`;
  if (!session) throw new Error(`session ${upstreamId} could not be recorded`);
  return session.id;
}
