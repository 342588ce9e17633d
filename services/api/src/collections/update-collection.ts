import type { UpdateCollectionBody } from "@reelay/contract";
import type { Job } from "@reelay/db";
import { updateCollectionRecord, type CollectionWithCount } from "@reelay/domain";
import { dispatchCollectionJob, type CollectionDeps } from "./collection-deps.ts";

/** Changes name, description or metadata (`metadata` replaces the map); the sync job pushes them. */
export async function updateCollection(deps: CollectionDeps, tenantId: string, knowledgeStoreId: string, collectionId: string, body: UpdateCollectionBody): Promise<{ collection: CollectionWithCount; job: Job | undefined }> {
  const updated = await deps.prisma.$transaction((tx) => updateCollectionRecord(tx, tenantId, knowledgeStoreId, collectionId, body));
  await dispatchCollectionJob(deps, collectionId, updated.job);
  return updated;
}
