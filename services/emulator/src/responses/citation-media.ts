import { hlsManifestUrl, thumbnailUrl } from "../assets/asset-media-urls.ts";
import type { EmulatorContext } from "../context.ts";
import type { ItemRecord } from "../state/emulator-state.ts";

/** The preview image and HLS stream a citation of an item links to; null when there is none. */
export type CitationMedia = (item: ItemRecord) => { thumbnail_url: string | null; hls_url: string | null };

/** No thumbnails or streams: every citation says null. */
export const noCitationMedia: CitationMedia = () => ({ thumbnail_url: null, hls_url: null });

/**
 * Links citations to what the emulator derived from the item's asset: its thumbnail and, for a
 * video, its HLS stream, once the asset asked for them (`enable_thumbnail`, `enable_hls`) and they
 * are ready. Null otherwise, and after the asset is deleted, as the SDK documents for a value the
 * platform could not resolve. `origin` is where the client reached the emulator.
 */
export function citationMediaOf(ctx: EmulatorContext, origin: string): CitationMedia {
  return (item) => {
    const asset = ctx.state.assets.get(item.assetId);
    return {
      thumbnail_url: asset?.thumbnail?.status === "ready" ? thumbnailUrl(origin, asset.id) : null,
      hls_url: item.assetType === "video" && asset?.hls?.status === "ready" ? hlsManifestUrl(origin, asset.id) : null,
    };
  };
}
