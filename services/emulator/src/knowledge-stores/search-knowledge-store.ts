import { randomBytes } from "node:crypto";
import { AppError } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import type { SearchCursorRecord } from "../state/emulator-state.ts";
import { getKnowledgeStore } from "./get-knowledge-store.ts";
import { rankHits } from "./rank-clips.ts";
import { searchedTypes } from "@reelay/contract";
import type { SearchBody, SearchHit, SearchResponse } from "@reelay/contract";

/** How long a `next_page_token` works; afterwards it answers 410, as the platform's do. */
export const PAGE_TOKEN_TTL_MS = 30 * 60 * 1000;

/**
 * Searches the store's ready items (see `rank-clips.ts` for what matches). The whole ranking is
 * computed once; each page token points into it, so paging is stable and a token can be retried.
 * With a `page_token`, the page continues the search that issued it: the token decides what is
 * searched, `page_size` how much comes back.
 */
export function searchKnowledgeStore(ctx: EmulatorContext, storeId: string, body: SearchBody): SearchResponse {
  const store = getKnowledgeStore(ctx, storeId);
  sweepExpiredCursors(ctx);
  const types = searchedTypes(body.filter?.asset_type);
  const modalities = body.search_options?.video?.modalities ?? ["visual"];
  const effective = types.includes("video") ? { video: { modalities } } : {};

  let results: SearchHit[];
  let offset = 0;
  if (body.page_token) {
    const cursor = cursorFor(ctx, store.id, body.page_token);
    results = cursor.results;
    offset = cursor.offset;
  } else {
    const ids = body.filter?.item_id;
    const items = ctx.state
      .itemsOf(store.id)
      .filter((item) => item.status === "ready" && types.includes(item.assetType))
      .filter((item) => !ids || (ids.eq !== undefined ? item.id === ids.eq : (ids.in ?? []).includes(item.id)))
      .sort((a, b) => a.seq - b.seq);
    results = rankHits(items, { query: body.query.text, modalities, groupBy: body.group_by, includeMetadata: body.include_metadata });
  }

  const end = offset + body.page_size;
  let nextPageToken: string | undefined;
  if (end < results.length) {
    const cursor: SearchCursorRecord = { token: randomBytes(18).toString("base64url"), storeId: store.id, results, offset: end, expiresAt: new Date(Date.now() + PAGE_TOKEN_TTL_MS) };
    ctx.state.searchCursors.set(cursor.token, cursor);
    nextPageToken = cursor.token;
  }
  return { data: results.slice(offset, end), next_page_token: nextPageToken, effective_search_options: effective };
}

function cursorFor(ctx: EmulatorContext, storeId: string, token: string): SearchCursorRecord {
  const cursor = ctx.state.searchCursors.get(token);
  if (!cursor || cursor.storeId !== storeId) {
    throw new AppError({
      code: "knowledge_store_search/bad_page_token",
      platformCode: "parameter_invalid",
      status: 400,
      message: "The page_token parameter is invalid: it is not a token this knowledge store's search issued.",
      errors: [{ field: "page_token", message: "unrecognized" }],
    });
  }
  if (Date.now() >= cursor.expiresAt.getTime()) {
    ctx.state.searchCursors.delete(token);
    throw new AppError({
      code: "knowledge_store_search/page_token_expired",
      platformCode: "page_token_expired",
      status: 410,
      message: `The page token expired at ${cursor.expiresAt.toISOString()}; search again for a fresh one.`,
    });
  }
  return cursor;
}

/**
 * Tokens past their lifetime are forgotten, except for a grace period in which they still answer
 * 410 rather than 400 (so a client learns that it was too slow rather than wrong).
 */
function sweepExpiredCursors(ctx: EmulatorContext): void {
  const forgetBefore = Date.now() - PAGE_TOKEN_TTL_MS;
  for (const cursor of ctx.state.searchCursors.values()) {
    if (cursor.expiresAt.getTime() < forgetBefore) ctx.state.searchCursors.delete(cursor.token);
  }
}
