import { AppError, newId, notFound, type SearchBody, type SearchResponse } from "@reelay/contract";
import { asJson, type Db } from "@reelay/db";
import { createSearchRecord, searchResultOf, waitForChange, type EventHub, type StoredSearchError } from "@reelay/domain";
import { dispatchAfterCommit, jobCatalog } from "@reelay/jobs";
import type { KnowledgeStoreDeps } from "./create-knowledge-store.ts";

export interface SearchDeps extends KnowledgeStoreDeps {
  hub: EventHub;
  /** How long the request waits for the worker's answer before a 504. */
  searchTimeoutMs: number;
}

/**
 * Records the search and its job (the worker asks the platform), then waits for its completion
 * event. The same request made again while a search for it is still running (a retry after a 504)
 * waits for that search instead of asking the platform a second time.
 */
export async function searchKnowledgeStore(
  deps: SearchDeps,
  tenantId: string,
  knowledgeStoreId: string,
  body: SearchBody,
  onJob: (jobId: string) => void,
  signal?: AbortSignal,
): Promise<SearchResponse> {
  const request = asJson(body);
  const search = await deps.prisma.$transaction(async (tx) => {
    const store = await tx.knowledgeStore.findFirst({ where: { id: knowledgeStoreId, tenantId, deletedAt: null }, select: { id: true } });
    if (!store) throw notFound("knowledge_store", knowledgeStoreId, "knowledge_stores");
    const since = new Date(Date.now() - jobCatalog["search.run"].deadlineMs);
    const running = await tx.knowledgeStoreSearch.findFirst({
      where: { tenantId, knowledgeStoreId, status: "queued", request: { equals: request }, createdAt: { gt: since } },
      orderBy: { createdAt: "desc" },
    });
    if (running) return { search: running, job: undefined };
    return createSearchRecord(tx, { id: newId("search"), tenantId, knowledgeStoreId, request });
  });
  if (search.job) await dispatchAfterCommit(deps.queue, search.job, (error) => deps.log(`search ${search.search.id}: dispatch deferred to the reconciler`, error));
  if (search.search.jobId) onJob(search.search.jobId);
  return waitForSearch(deps, search.search.id, deps.searchTimeoutMs, signal);
}

/**
 * Waits for the search to end (woken by its event, not by polling): its results, or the error it
 * ended with (the platform's status and code for its refusals: 400 for a bad page token, 410 for
 * an expired one). After `timeoutMs`, a 504 that says how to get the results.
 */
export async function waitForSearch(deps: { prisma: Db; hub: EventHub }, searchId: string, timeoutMs: number, signal?: AbortSignal): Promise<SearchResponse> {
  const { value: search, done } = await waitForChange(
    deps.hub,
    searchId,
    () => deps.prisma.knowledgeStoreSearch.findUniqueOrThrow({ where: { id: searchId } }),
    (row) => row.status !== "queued",
    { timeoutMs, signal },
  );
  if (signal?.aborted) throw signal.reason;
  const result = searchResultOf(search);
  if (search.status === "completed" && result) return result;
  if (done) {
    const error = (search.error ?? { status: 502, code: "upstream_error", message: "The platform could not answer the search." }) as unknown as StoredSearchError;
    const clientError = error.status >= 400 && error.status < 500 && error.status !== 429;
    throw new AppError({
      code: clientError ? "knowledge_store_search/rejected_upstream" : "knowledge_store_search/upstream_failed",
      platformCode: error.code,
      status: clientError ? error.status : 502,
      message: error.message,
      retryable: !clientError,
    });
  }
  throw new AppError({
    code: "knowledge_store_search/timeout",
    platformCode: "request_canceled_or_timed_out",
    status: 504,
    message: `The search did not finish within ${Math.round(timeoutMs / 1000)} s. Send the same request again: it waits for this search instead of starting another.`,
    retryable: true,
    retryAfter: 1,
  });
}
