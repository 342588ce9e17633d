import { notFound } from "@reelay/contract";
import { defineRowRead, modelColumns, type Db, type KnowledgeStoreItem } from "@reelay/db";

// A deleted item, or any item of a deleted store, is gone from every answer.
const liveItem = defineRowRead<KnowledgeStoreItem, [itemId: string, knowledgeStoreId: string, tenantId: string]>(
  "get_item",
  `SELECT ${modelColumns("KnowledgeStoreItem", "i")}
   FROM "knowledge_store_items" "i" JOIN "knowledge_stores" "s" ON "s"."id" = "i"."knowledge_store_id"
   WHERE "i"."id" = $1 AND "i"."knowledge_store_id" = $2 AND "i"."tenant_id" = $3 AND "i"."deleted_at" IS NULL AND "s"."deleted_at" IS NULL`,
);

/** Clients poll it for status: one prepared statement, past Prisma's query compiler (`defineRowRead`). */
export async function getItem(db: Db, tenantId: string, knowledgeStoreId: string, itemId: string): Promise<KnowledgeStoreItem> {
  const item = await liveItem(db, itemId, knowledgeStoreId, tenantId);
  if (!item) throw notFound("knowledge_store_item", itemId, "knowledge_store_items");
  return item;
}
