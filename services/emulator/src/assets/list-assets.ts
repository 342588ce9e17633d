import type { EmulatorContext } from "../context.ts";
import type { AssetRecord } from "../state/emulator-state.ts";
import { byCreation } from "../http/paginate.ts";
import { assetKind } from "./asset-kind.ts";

export interface AssetFilter {
  filename?: string | undefined;
  assetIds?: string[] | undefined;
  assetTypes?: Array<"video" | "audio" | "image" | "document"> | undefined;
}

/** Newest first, the platform's only order for assets. */
export function listAssets(ctx: EmulatorContext, filter: AssetFilter): AssetRecord[] {
  const needle = filter.filename?.toLowerCase();
  return [...ctx.state.assets.values()]
    .filter((a) => !needle || a.filename.toLowerCase().includes(needle))
    .filter((a) => !filter.assetIds?.length || filter.assetIds.includes(a.id))
    // Before probing, the type is the declared one or the one the file name suggests.
    .filter((a) => !filter.assetTypes?.length || filter.assetTypes.some((type) => type === assetKind(a)))
    .sort(byCreation("created_at", "desc"));
}
