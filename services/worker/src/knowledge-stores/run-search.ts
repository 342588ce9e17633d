import type { SearchBody, SearchResponse } from "@reelay/contract";
import type { Db } from "@reelay/db";
import { finishSearch, jobSucceeded } from "@reelay/domain";
import { REELAY_ID_KEY } from "../platform/platform-client.ts";
import { PlatformError } from "../platform/platform-error.ts";
import type { UpstreamSearch } from "../platform/upstream-store-schemas.ts";
import { awaitDependency, finished, StepFailure, type StepHandler } from "../steps/step.ts";

/**
 * Asks the platform one search once the store exists there, and stores the answer with the
 * platform's item ids mapped to Reelay's. Page tokens are the platform's, passed through both
 * ways. The platform's refusals (a bad or expired token: 400, 410) end the search with the
 * platform's status and code, which the waiting request answers with.
 */
export const runSearch: StepHandler<"search.run"> = {
  type: "search.run",

  async run(ctx, { searchId }) {
    const search = await ctx.prisma.knowledgeStoreSearch.findUnique({ where: { id: searchId }, include: { knowledgeStore: true } });
    if (!search || search.status !== "queued") return finished;
    const store = search.knowledgeStore;
    if (store.deletedAt) throw new StepFailure({ status: 404, code: "resource_not_exist", message: `Resource with id ${store.id} does not exist in knowledge_stores.` });
    if (store.syncStatus === "failed") {
      throw new StepFailure({ status: 502, code: "knowledge_store_failed", message: `The knowledge store could not be created on the platform: ${store.errorMessage ?? "unknown reason"}.` });
    }
    // The store's knowledge_store.synced event wakes this job.
    if (!store.upstreamId) return awaitDependency("await_knowledge_store");

    const request = search.request as unknown as SearchBody;
    let answer: UpstreamSearch;
    try {
      answer = await ctx.platform.searchKnowledgeStore(store.upstreamId, await upstreamSearchBody(ctx.prisma, store.id, request));
    } catch (error) {
      if (error instanceof PlatformError && error.kind === "client") {
        // The platform's own words, minus the call's name and with its store id swapped for ours.
        const message = error.message.startsWith(`${error.operation}: `) ? error.message.slice(error.operation.length + 2) : error.message;
        throw new StepFailure({ status: error.status ?? 400, code: error.code, message: message.replaceAll(store.upstreamId, store.id) });
      }
      throw error;
    }
    const result = await toReelayResult(ctx.prisma, store.id, answer);
    await ctx.commit((tx, job) => finishSearch(tx, search.id, { result }, job(jobSucceeded())));
    return finished;
  },
};

/** The stored request in wire form, with `filter.item_id` naming the platform's items. */
async function upstreamSearchBody(db: Db, storeId: string, request: SearchBody): Promise<Record<string, unknown>> {
  const byId = request.filter?.item_id;
  if (!byId) return { ...request };
  const ours = byId.eq !== undefined ? [byId.eq] : (byId.in ?? []);
  const items = await db.knowledgeStoreItem.findMany({ where: { knowledgeStoreId: storeId, id: { in: ours }, deletedAt: null }, select: { id: true, upstreamId: true } });
  const upstream = new Map(items.map((item) => [item.id, item.upstreamId]));
  // An id the platform does not hold (unknown, deleted, not yet created there) is sent as it is:
  // it matches nothing there, just as an unknown id matches nothing on the platform.
  const map = (id: string) => upstream.get(id) ?? id;
  const itemFilter = byId.eq !== undefined ? { eq: map(byId.eq) } : { in: (byId.in ?? []).map(map) };
  return { ...request, filter: { ...request.filter, item_id: itemFilter } };
}

/**
 * The platform's answer with its item ids replaced by Reelay's. A hit on an item Reelay does not
 * show (deleted here, its platform copy not yet gone) is left out, and the stamp Reelay keeps in
 * every item's metadata is taken out of `metadata.user`.
 */
async function toReelayResult(db: Db, storeId: string, answer: UpstreamSearch): Promise<SearchResponse> {
  const upstreamIds = [...new Set(answer.data.map((hit) => hit.item_id))];
  const items = upstreamIds.length
    ? await db.knowledgeStoreItem.findMany({ where: { knowledgeStoreId: storeId, upstreamId: { in: upstreamIds }, deletedAt: null }, select: { id: true, upstreamId: true } })
    : [];
  const ours = new Map(items.map((item) => [item.upstreamId!, item.id]));
  const data = answer.data.flatMap((hit) => {
    const id = ours.get(hit.item_id);
    if (!id) return [];
    return [{ ...hit, item_id: id, ...(hit.metadata ? { metadata: withoutStamp(hit.metadata) } : {}) }];
  });
  const { next_page_token: nextPageToken, ...rest } = answer;
  return { ...rest, data, ...(nextPageToken ? { next_page_token: nextPageToken } : {}) } as unknown as SearchResponse;
}

function withoutStamp(metadata: NonNullable<UpstreamSearch["data"][number]["metadata"]>): Record<string, unknown> {
  if (!metadata.user) return metadata;
  const { [REELAY_ID_KEY]: _stamp, ...user } = metadata.user;
  const { user: _user, ...rest } = metadata;
  return Object.keys(user).length > 0 ? { ...rest, user } : rest;
}
