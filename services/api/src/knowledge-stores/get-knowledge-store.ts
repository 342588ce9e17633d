import { notFound } from "@reelay/contract";
import type { Db } from "@reelay/db";
import { withItemCount, type KnowledgeStoreWithCount } from "@reelay/domain";

/** A live store of the tenant; a deleted one (or another tenant's) is a 404. */
export async function getKnowledgeStore(db: Db, tenantId: string, knowledgeStoreId: string): Promise<KnowledgeStoreWithCount> {
  const store = await db.knowledgeStore.findFirst({ where: { id: knowledgeStoreId, tenantId, deletedAt: null }, include: withItemCount });
  if (!store) throw notFound("knowledge_store", knowledgeStoreId, "knowledge_stores");
  return store;
}
