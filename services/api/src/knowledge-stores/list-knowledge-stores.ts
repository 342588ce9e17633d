import type { z } from "zod";
import type { KnowledgeStoreListQuery } from "@reelay/contract";
import type { Db } from "@reelay/db";
import { withItemCount, type KnowledgeStoreWithCount } from "@reelay/domain";

export async function listKnowledgeStores(
  db: Db,
  tenantId: string,
  query: z.infer<typeof KnowledgeStoreListQuery>,
): Promise<{ rows: KnowledgeStoreWithCount[]; total: number }> {
  const sortField = query.sort_by === "updated_at" ? "updatedAt" : "createdAt";
  const [rows, total] = await Promise.all([
    db.knowledgeStore.findMany({
      where: { tenantId, deletedAt: null },
      include: withItemCount,
      orderBy: [{ [sortField]: query.sort_option }, { id: query.sort_option }],
      skip: (query.page - 1) * query.page_limit,
      take: query.page_limit,
    }),
    db.knowledgeStore.count({ where: { tenantId, deletedAt: null } }),
  ]);
  return { rows, total };
}
