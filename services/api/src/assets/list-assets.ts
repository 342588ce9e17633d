import type { PageQuery } from "@reelay/contract";
import type { Asset, Db, Prisma } from "@reelay/db";

export type AssetType = "video" | "audio" | "image" | "document";

export interface ListAssetsQuery extends PageQuery {
  filename?: string | undefined;
  asset_ids?: string[] | undefined;
  asset_types?: AssetType[] | undefined;
}

/**
 * Which `file_type`s (MIME) each asset type covers. Documents are the ones the platform lists as
 * such (PDF, text, Markdown); the emulator processes none, so there they match nothing.
 */
const mimeOf: Record<AssetType, string[]> = {
  video: ["video/"],
  audio: ["audio/"],
  image: ["image/"],
  document: ["application/pdf", "text/plain", "text/markdown", "text/x-markdown"],
};

/** Newest first, like the platform (assets have no sort parameter); deleted assets are gone. */
export async function listAssets(db: Db, tenantId: string, query: ListAssetsQuery): Promise<{ rows: Asset[]; total: number }> {
  const types = query.asset_types ?? [];
  const where: Prisma.AssetWhereInput = {
    tenantId,
    deletedAt: null,
    ...(query.filename ? { filename: { contains: query.filename, mode: "insensitive" } } : {}),
    ...(query.asset_ids?.length ? { id: { in: query.asset_ids } } : {}),
    ...(types.length ? { OR: types.flatMap((type) => mimeOf[type]).map((prefix) => ({ fileType: { startsWith: prefix, mode: "insensitive" as const } })) } : {}),
  };
  const [rows, total] = await Promise.all([
    db.asset.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (query.page - 1) * query.page_limit, take: query.page_limit }),
    db.asset.count({ where }),
  ]);
  return { rows, total };
}
