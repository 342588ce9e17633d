import { notFound } from "@reelay/contract";
import { defineRowRead, modelColumns, type Asset, type Db } from "@reelay/db";

const liveAsset = defineRowRead<Asset, [assetId: string, tenantId: string]>(
  "get_asset",
  `SELECT ${modelColumns("Asset", "a")} FROM "assets" "a" WHERE "a"."id" = $1 AND "a"."tenant_id" = $2 AND "a"."deleted_at" IS NULL`,
);

/**
 * A tenant's asset; a deleted one is gone, like one that never existed. Clients poll it for
 * status: one prepared statement, past Prisma's query compiler (`defineRowRead`).
 */
export async function getAsset(db: Db, tenantId: string, assetId: string): Promise<Asset> {
  const asset = await liveAsset(db, assetId, tenantId);
  if (!asset) throw notFound("asset", assetId);
  return asset;
}

/**
 * Like `getAsset`, holding the row (`FOR UPDATE`) until the transaction ends: changes that read
 * the asset before writing it (a merge, the items check of a delete) then happen one at a time.
 * `FOR UPDATE` also waits for, and blocks, transactions adding an item on the asset (their foreign
 * key check takes a share lock on the row).
 */
export async function lockAsset(tx: Db, tenantId: string, assetId: string): Promise<Asset> {
  const locked = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT "id" FROM "assets" WHERE "id" = ${assetId} AND "tenant_id" = ${tenantId} AND "deleted_at" IS NULL FOR UPDATE`;
  if (locked.length === 0) throw notFound("asset", assetId);
  return tx.asset.findUniqueOrThrow({ where: { id: assetId } });
}
