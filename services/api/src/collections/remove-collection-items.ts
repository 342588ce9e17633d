import type { Job } from "@reelay/db";
import { removeCollectionMembers } from "@reelay/domain";
import { dispatchCollectionJob, type CollectionDeps } from "./collection-deps.ts";

/** Removes items from the collection (ids that are not members are ignored); the items stay in the store. */
export async function removeCollectionItems(deps: CollectionDeps, tenantId: string, knowledgeStoreId: string, collectionId: string, itemIds: string[]): Promise<Job | undefined> {
  const { job } = await deps.prisma.$transaction((tx) => removeCollectionMembers(tx, tenantId, knowledgeStoreId, collectionId, itemIds));
  await dispatchCollectionJob(deps, collectionId, job);
  return job;
}
