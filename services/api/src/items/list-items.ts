import type { z } from "zod";
import type { ItemListQuery } from "@reelay/contract";
import type { Db, KnowledgeStoreItem, Prisma } from "@reelay/db";
import { getKnowledgeStore } from "../knowledge-stores/get-knowledge-store.ts";

export async function listItems(
  db: Db,
  tenantId: string,
  knowledgeStoreId: string,
  query: z.infer<typeof ItemListQuery>,
): Promise<{ rows: KnowledgeStoreItem[]; total: number }> {
  await getKnowledgeStore(db, tenantId, knowledgeStoreId);
  const where: Prisma.KnowledgeStoreItemWhereInput = {
    tenantId,
    knowledgeStoreId,
    deletedAt: null,
    ...(query.status?.length ? { status: { in: query.status } } : {}),
  };
  const sortField = query.sort_by === "updated_at" ? "updatedAt" : "createdAt";
  const [rows, total] = await Promise.all([
    db.knowledgeStoreItem.findMany({
      where,
      orderBy: [{ [sortField]: query.sort_option }, { id: query.sort_option }],
      skip: (query.page - 1) * query.page_limit,
      take: query.page_limit,
    }),
    db.knowledgeStoreItem.count({ where }),
  ]);
  return { rows, total };
}
