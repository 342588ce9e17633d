/**
 * Where the emulator serves what it derives from assets. These paths sit outside `/v1.3` and need
 * no API key, like the platform's CDN URLs.
 */
export const ASSET_MEDIA_ROUTES = {
  thumbnail: "/media/thumbnails/:file",
  hls: "/media/hls/:asset_id/:file",
} as const;

export const HLS_MANIFEST = "index.m3u8";

export function thumbnailUrl(origin: string, assetId: string): string {
  return `${origin}/media/thumbnails/${assetId}.jpg`;
}

export function hlsManifestUrl(origin: string, assetId: string): string {
  return `${origin}/media/hls/${assetId}/${HLS_MANIFEST}`;
}
