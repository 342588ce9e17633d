import { notFound } from "@reelay/contract";
import type { Asset, Db } from "@reelay/db";

/** A tenant's asset; a deleted one is gone, like one that never existed. */
export async function getAsset(db: Db, tenantId: string, assetId: string): Promise<Asset> {
  const asset = await db.asset.findFirst({ where: { id: assetId, tenantId, deletedAt: null } });
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
