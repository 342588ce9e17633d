import { notFound } from "@reelay/contract";
import type { Db } from "@reelay/db";
import { withMemberCount, type CollectionWithCount } from "@reelay/domain";
import { getKnowledgeStore } from "../knowledge-stores/get-knowledge-store.ts";

/** A live collection of the tenant's live store: the store's 404 first, then the collection's. */
export async function getCollection(db: Db, tenantId: string, knowledgeStoreId: string, collectionId: string): Promise<CollectionWithCount> {
  await getKnowledgeStore(db, tenantId, knowledgeStoreId);
  const collection = await db.itemCollection.findFirst({ where: { id: collectionId, knowledgeStoreId, tenantId, deletedAt: null }, include: withMemberCount });
  if (!collection) throw notFound("knowledge_store_item_collection", collectionId, "item collections");
  return collection;
}
