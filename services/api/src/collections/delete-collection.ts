import type { Job } from "@reelay/db";
import { deleteCollectionRecord } from "@reelay/domain";
import { dispatchCollectionJob, type CollectionDeps } from "./collection-deps.ts";

/** Deletes the collection at once (its items stay in the store); a job deletes the platform's copy. */
export async function deleteCollection(deps: CollectionDeps, tenantId: string, knowledgeStoreId: string, collectionId: string): Promise<Job> {
  const { job } = await deps.prisma.$transaction((tx) => deleteCollectionRecord(tx, tenantId, knowledgeStoreId, collectionId));
  await dispatchCollectionJob(deps, collectionId, job);
  return job;
}
