import type { SearchEventData, SearchResponse } from "@reelay/contract";
import type { KnowledgeStoreSearch } from "@reelay/db";
import type { z } from "zod";

/** Why a search failed, as stored: the HTTP status to answer with, and the platform's own code where it gave one. */
export interface StoredSearchError {
  status: number;
  code: string;
  message: string;
}

export type SearchStatus = "queued" | "completed" | "failed";

/** What a search's events carry: its state, never its results (they go to the waiting request). */
export function toSearchEventData(search: KnowledgeStoreSearch): z.infer<typeof SearchEventData> {
  const error = search.error as StoredSearchError | null;
  return {
    _id: search.id,
    knowledge_store_id: search.knowledgeStoreId,
    status: search.status as SearchStatus,
    ...(error ? { error: { code: error.code, message: error.message } } : {}),
    job_id: search.jobId,
  };
}

/** The stored results: the platform's answer with its item ids mapped to Reelay's. */
export function searchResultOf(search: KnowledgeStoreSearch): SearchResponse | undefined {
  return (search.result as SearchResponse | null) ?? undefined;
}
