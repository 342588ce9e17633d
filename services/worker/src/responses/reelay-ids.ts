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
        const session = await db.responseSession.upsert({
          where: { upstreamId: upstreamSession },
          create: { id: newId("session"), tenantId: at.tenantId, knowledgeStoreId: at.storeId, upstreamId: upstreamSession },
          update: {},
        });
        sessionId = session.id;
        ids.set(upstreamSession, session.id);
      }
      const fresh = idCandidates(value).filter((token) => !looked.has(token) && !ids.has(token));
      if (fresh.length > 0) {
        for (const token of fresh) looked.add(token);
        const items = await db.knowledgeStoreItem.findMany({ where: { knowledgeStoreId: at.storeId, upstreamId: { in: fresh } }, select: { id: true, upstreamId: true } });
        for (const item of items) if (item.upstreamId) ids.set(item.upstreamId, item.id);
        // Collection citations (and collection selections echoed back) name the store's collections.
        const rest = fresh.filter((token) => !ids.has(token));
        if (rest.length > 0) {
          const collections = await db.itemCollection.findMany({ where: { knowledgeStoreId: at.storeId, upstreamId: { in: rest } }, select: { id: true, upstreamId: true } });
          for (const collection of collections) if (collection.upstreamId) ids.set(collection.upstreamId, collection.id);
        }
      }
      return idMap();
    },
  };
}
