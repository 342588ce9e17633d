import type { PageQuery } from "@reelay/contract";
import type { Asset, Db, Prisma } from "@reelay/db";

export interface ListAssetsQuery extends PageQuery {
  filename?: string | undefined;
  asset_ids?: string[] | undefined;
}

/** Newest first, like the platform (assets have no sort parameter). */
export async function listAssets(db: Db, tenantId: string, query: ListAssetsQuery): Promise<{ rows: Asset[]; total: number }> {
  const where: Prisma.AssetWhereInput = {
    tenantId,
    ...(query.filename ? { filename: { contains: query.filename, mode: "insensitive" } } : {}),
    ...(query.asset_ids?.length ? { id: { in: query.asset_ids } } : {}),
  };
  const [rows, total] = await Promise.all([
    db.asset.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (query.page - 1) * query.page_limit, take: query.page_limit }),
    db.asset.count({ where }),
  ]);
  return { rows, total };
}
