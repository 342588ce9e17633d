import type { SearchResponse } from "@reelay/contract";
import { asJson, type Db, type Job, type KnowledgeStoreSearch, type Prisma } from "@reelay/db";
import { toSearchEventData, type StoredSearchError } from "../wire/search-wire.ts";
import { createJob } from "./jobs.ts";
import { appendEvent } from "./outbox.ts";
import { applyJobEffect, type JobEffect } from "./resource-job.ts";
import { conditionally } from "./stale-state.ts";

/** A new search (`queued`) with its `search.run` job and their events. */
export async function createSearchRecord(tx: Db, data: { id: string; tenantId: string; knowledgeStoreId: string; request: Prisma.InputJsonValue }): Promise<{ search: KnowledgeStoreSearch; job: Job }> {
  const job = await createJob(tx, { tenantId: data.tenantId, type: "search.run", resourceId: data.id, resourceStatus: "queued" });
  const search = await tx.knowledgeStoreSearch.create({ data: { ...data, status: "queued", jobId: job.id, version: 1 } });
  await appendEvent(tx, { type: "knowledge_store_search.created", tenantId: search.tenantId, resourceId: search.id, sequence: 1, jobId: job.id, data: toSearchEventData(search) });
  return { search, job };
}

export type SearchOutcome = { result: SearchResponse } | { error: StoredSearchError };

/** A queued search ends with the platform's results (ids mapped) or an error; refused once it has ended. */
export async function finishSearch(tx: Db, searchId: string, outcome: SearchOutcome, job?: JobEffect): Promise<{ search: KnowledgeStoreSearch; job: Job | undefined }> {
  const status = "result" in outcome ? "completed" : "failed";
  const search = await conditionally("knowledge_store_search", searchId, () =>
    tx.knowledgeStoreSearch.update({
      where: { id: searchId, status: "queued" },
      data: { status, ...("result" in outcome ? { result: asJson(outcome.result) } : { error: asJson(outcome.error) }), version: { increment: 1 } },
    }),
  );
  await appendEvent(tx, { type: `knowledge_store_search.${status}`, tenantId: search.tenantId, resourceId: search.id, sequence: search.version, jobId: search.jobId, data: toSearchEventData(search) });
  return { search, job: await applyJobEffect(tx, job, status) };
}
