import type { EmulatorContext } from "../context.ts";
import type { AssetRecord } from "../state/emulator-state.ts";
import type { UserMetadataChange } from "@reelay/contract";
import { getAsset } from "./get-asset.ts";

type UserMetadata = NonNullable<AssetRecord["userMetadata"]>;

/** `PUT`: the body becomes the metadata; `null` and `""` values are ignored, so `{}` clears it. */
export function replaceUserMetadata(ctx: EmulatorContext, assetId: string, change: UserMetadataChange): void {
  const asset = getAsset(ctx, assetId);
  const next: UserMetadata = {};
  for (const [key, value] of Object.entries(change)) {
    if (value !== null && value !== "") next[key] = value;
  }
  asset.userMetadata = emptyToUndefined(next);
}

/** `PATCH`: merged into the metadata; `null` deletes a key, `""` is ignored, omitted keys stay. */
export function updateUserMetadata(ctx: EmulatorContext, assetId: string, change: UserMetadataChange): void {
  const asset = getAsset(ctx, assetId);
  const next: UserMetadata = { ...asset.userMetadata };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete next[key];
    else if (value !== "") next[key] = value;
  }
  asset.userMetadata = emptyToUndefined(next);
}

/** `DELETE`: no metadata at all, the same as a `PUT` of `{}`. */
export function deleteUserMetadata(ctx: EmulatorContext, assetId: string): void {
  getAsset(ctx, assetId).userMetadata = undefined;
}

/** The platform omits `user_metadata` when an asset has none. */
function emptyToUndefined(metadata: UserMetadata): UserMetadata | undefined {
  return Object.keys(metadata).length > 0 ? metadata : undefined;
}
