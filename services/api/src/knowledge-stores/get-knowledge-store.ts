import { notFound } from "@reelay/contract";
import { defineRowRead, modelColumns, type Db } from "@reelay/db";
import type { KnowledgeStoreWithCount } from "@reelay/domain";

// `_count.items` as `withItemCount` counts it: deleted items are gone from every answer.
const liveStore = defineRowRead<KnowledgeStoreWithCount, [knowledgeStoreId: string, tenantId: string]>(
  "get_knowledge_store",
  `SELECT ${modelColumns("KnowledgeStore", "s")},
     json_build_object('items', (SELECT count(*)::int FROM "knowledge_store_items" "i" WHERE "i"."knowledge_store_id" = "s"."id" AND "i"."deleted_at" IS NULL)) AS "_count"
   FROM "knowledge_stores" "s" WHERE "s"."id" = $1 AND "s"."tenant_id" = $2 AND "s"."deleted_at" IS NULL`,
);

/**
 * A live store of the tenant; a deleted one (or another tenant's) is a 404. Every read of a store's
 * items or collections checks it first: one prepared statement, past Prisma's query compiler
 * (`defineRowRead`).
 */
export async function getKnowledgeStore(db: Db, tenantId: string, knowledgeStoreId: string): Promise<KnowledgeStoreWithCount> {
  const store = await liveStore(db, knowledgeStoreId, tenantId);
  if (!store) throw notFound("knowledge_store", knowledgeStoreId, "knowledge_stores");
  return store;
}
