import type { Job } from "@reelay/db";
import { addCollectionMembers, type CollectionWithCount } from "@reelay/domain";
import { dispatchCollectionJob, type CollectionDeps } from "./collection-deps.ts";

/**
 * Adds items of the store to the collection, idempotently: all of them or, when one is not an item
 * of the store, none (400). Indexed members are pushed to the platform by the sync job; the others
 * once they are indexed.
 */
export async function addCollectionItems(deps: CollectionDeps, tenantId: string, knowledgeStoreId: string, collectionId: string, itemIds: string[]): Promise<{ collection: CollectionWithCount; job: Job | undefined }> {
  const added = await deps.prisma.$transaction((tx) => addCollectionMembers(tx, tenantId, knowledgeStoreId, collectionId, itemIds));
  await dispatchCollectionJob(deps, collectionId, added.job);
  return added;
}
