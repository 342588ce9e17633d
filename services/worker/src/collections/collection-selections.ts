import type { Db } from "@reelay/db";
import { DependencyPending, StepFailure } from "../steps/step.ts";

/**
 * The platform's ids of the collections a question selects. A collection is selected by its own
 * id upstream, not expanded into its members: `{{sel:N}}` in the question names the N-th selection,
 * a collection stays one selection (and a citation of it, one collection), and the platform's
 * session keeps it as the collection. So the platform's copy must be up to date first: until its
 * sync says `synced` (every indexed member pushed) the question waits, woken by that event.
 */
export async function upstreamCollectionIds(db: Db, tenantId: string, storeId: string, collectionIds: string[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (collectionIds.length === 0) return ids;
  const collections = await db.itemCollection.findMany({ where: { id: { in: collectionIds }, tenantId, knowledgeStoreId: storeId } });
  for (const id of collectionIds) {
    const collection = collections.find((c) => c.id === id);
    if (!collection || collection.deletedAt) {
      throw new StepFailure({ status: 404, code: "resource_not_exist", message: `Resource with id ${id} does not exist in item collections.` });
    }
    if (collection.syncStatus === "failed") {
      throw new StepFailure({ status: 502, code: "collection_failed", message: `The collection ${id} could not be synced to the platform: ${collection.errorMessage ?? "unknown reason"}.` });
    }
    if (collection.syncStatus !== "synced" || !collection.upstreamId) throw new DependencyPending("await_collection");
    ids.set(id, collection.upstreamId);
  }
  return ids;
}

