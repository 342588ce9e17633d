import type { PageQuery } from "@reelay/contract";
import type { Db, KnowledgeStoreItem } from "@reelay/db";
import { getCollection } from "./get-collection.ts";

/** The collection's items in the order they were added (whatever their status), a page at a time. */
export async function listCollectionItems(db: Db, tenantId: string, knowledgeStoreId: string, collectionId: string, query: PageQuery): Promise<{ rows: KnowledgeStoreItem[]; total: number }> {
  await getCollection(db, tenantId, knowledgeStoreId, collectionId);
  const where = { collectionId, item: { deletedAt: null } };
  const [members, total] = await Promise.all([
    db.itemCollectionMember.findMany({ where, include: { item: true }, orderBy: [{ createdAt: "asc" }, { itemId: "asc" }], skip: (query.page - 1) * query.page_limit, take: query.page_limit }),
    db.itemCollectionMember.count({ where }),
  ]);
  return { rows: members.map((member) => member.item), total };
}
