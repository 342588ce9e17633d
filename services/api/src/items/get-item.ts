import { notFound } from "@reelay/contract";
import type { Db, KnowledgeStoreItem } from "@reelay/db";

export async function getItem(db: Db, tenantId: string, knowledgeStoreId: string, itemId: string): Promise<KnowledgeStoreItem> {
  // A deleted item, or any item of a deleted store, is gone from every answer.
  const item = await db.knowledgeStoreItem.findFirst({ where: { id: itemId, knowledgeStoreId, tenantId, deletedAt: null, knowledgeStore: { deletedAt: null } } });
  if (!item) throw notFound("knowledge_store_item", itemId, "knowledge_store_items");
  return item;
}
