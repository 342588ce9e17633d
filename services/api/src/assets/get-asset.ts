import { notFound } from "@reelay/contract";
import type { Asset, Db } from "@reelay/db";

export async function getAsset(db: Db, tenantId: string, assetId: string): Promise<Asset> {
  const asset = await db.asset.findFirst({ where: { id: assetId, tenantId } });
  if (!asset) throw notFound("asset", assetId);
  return asset;
}
