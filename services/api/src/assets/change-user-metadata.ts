import { mergedUserMetadata, replacedUserMetadata, type UserMetadataChange } from "@reelay/contract";
import type { Job } from "@reelay/db";
import { changeAssetUserMetadata } from "@reelay/domain";
import { dispatchAfterCommit } from "@reelay/jobs";
import type { AssetDeps } from "./delete-asset.ts";
import { lockAsset } from "./get-asset.ts";

/** `PUT` replaces, `PATCH` merges (`null` deletes a key), `DELETE` clears: the platform's semantics. */
export type UserMetadataEdit = { replace: UserMetadataChange } | { update: UserMetadataChange } | { clear: true };

/**
 * Changes the asset's user metadata at once (`asset.updated`); the `asset.sync_metadata` job pushes
 * it to the platform's copy. The row is locked first, so concurrent merges never lose a key.
 */
export async function changeUserMetadata(deps: AssetDeps, tenantId: string, assetId: string, edit: UserMetadataEdit): Promise<{ job: Job }> {
  const changed = await deps.prisma.$transaction(async (tx) => {
    const asset = await lockAsset(tx, tenantId, assetId);
    const current = asset.userMetadata as Parameters<typeof mergedUserMetadata>[0];
    const next = "replace" in edit ? replacedUserMetadata(edit.replace) : "update" in edit ? mergedUserMetadata(current, edit.update) : undefined;
    return changeAssetUserMetadata(tx, asset.id, next ?? null);
  });
  // A change that joined an open sync job is pushed by it; only a new job needs dispatching.
  if (changed.created) await dispatchAfterCommit(deps.queue, changed.job, (error) => deps.log(`asset ${assetId}: dispatch deferred to the reconciler`, error));
  return { job: changed.job };
}
