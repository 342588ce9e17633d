import type { CollectionListQuery } from "@reelay/contract";
import type { Db, Prisma } from "@reelay/db";
import { withMemberCount, type CollectionWithCount } from "@reelay/domain";
import { getKnowledgeStore } from "../knowledge-stores/get-knowledge-store.ts";

const sortFields = { created_at: "createdAt", updated_at: "updatedAt", name: "name" } as const;

export async function listCollections(db: Db, tenantId: string, knowledgeStoreId: string, query: CollectionListQuery): Promise<{ rows: CollectionWithCount[]; total: number }> {
  await getKnowledgeStore(db, tenantId, knowledgeStoreId);
  const where: Prisma.ItemCollectionWhereInput = { tenantId, knowledgeStoreId, deletedAt: null };
  const [rows, total] = await Promise.all([
    db.itemCollection.findMany({
      where,
      include: withMemberCount,
      // Ties (equal names) in creation order, like the platform's.
      orderBy: [{ [sortFields[query.sort_by]]: query.sort_option }, { createdAt: query.sort_option }, { id: query.sort_option }],
      skip: (query.page - 1) * query.page_limit,
      take: query.page_limit,
    }),
    db.itemCollection.count({ where }),
  ]);
  return { rows, total };
}
