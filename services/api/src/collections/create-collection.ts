import { newId, type CreateCollectionBody } from "@reelay/contract";
import type { Job } from "@reelay/db";
import { createCollectionRecord, type CollectionWithCount } from "@reelay/domain";
import { dispatchCollectionJob, type CollectionDeps } from "./collection-deps.ts";

/** Records the collection (its name unique in the store, 400 otherwise); its sync job creates it on the platform. */
export async function createCollection(deps: CollectionDeps, tenantId: string, knowledgeStoreId: string, body: CreateCollectionBody): Promise<{ collection: CollectionWithCount; job: Job }> {
  const id = newId("collection");
  const created = await deps.prisma.$transaction((tx) =>
    createCollectionRecord(tx, { id, tenantId, knowledgeStoreId, name: body.name, description: body.description ?? null, metadata: body.metadata }),
  );
  await dispatchCollectionJob(deps, id, created.job);
  return created;
}
