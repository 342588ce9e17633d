import { mergedUserMetadata, replacedUserMetadata, type UserMetadataChange } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import { getAsset } from "./get-asset.ts";

/** `PUT`: the body becomes the metadata; `null` and `""` values are ignored, so `{}` clears it. */
export function replaceUserMetadata(ctx: EmulatorContext, assetId: string, change: UserMetadataChange): void {
  getAsset(ctx, assetId).userMetadata = replacedUserMetadata(change);
}

/** `PATCH`: merged into the metadata; `null` deletes a key, `""` is ignored, omitted keys stay. */
export function updateUserMetadata(ctx: EmulatorContext, assetId: string, change: UserMetadataChange): void {
  const asset = getAsset(ctx, assetId);
  asset.userMetadata = mergedUserMetadata(asset.userMetadata, change);
}

/** `DELETE`: no metadata at all, the same as a `PUT` of `{}`. */
export function deleteUserMetadata(ctx: EmulatorContext, assetId: string): void {
  getAsset(ctx, assetId).userMetadata = undefined;
}
