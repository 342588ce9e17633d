import type { EmulatorContext } from "../context.ts";
import type { AssetRecord } from "../state/emulator-state.ts";
import { byCreation } from "../http/paginate.ts";

export interface AssetFilter {
  filename?: string | undefined;
  assetIds?: string[] | undefined;
  assetTypes?: Array<"video" | "audio" | "image"> | undefined;
}

/** Newest first, the platform's only order for assets. */
export function listAssets(ctx: EmulatorContext, filter: AssetFilter): AssetRecord[] {
  const needle = filter.filename?.toLowerCase();
  return [...ctx.state.assets.values()]
    .filter((a) => !needle || a.filename.toLowerCase().includes(needle))
    .filter((a) => !filter.assetIds?.length || filter.assetIds.includes(a.id))
    // The type is known only after probing; a type filter therefore only matches probed assets.
    .filter((a) => !filter.assetTypes?.length || (a.facts !== undefined && filter.assetTypes.includes(a.facts.kind)))
    .sort(byCreation("created_at", "desc"));
}
