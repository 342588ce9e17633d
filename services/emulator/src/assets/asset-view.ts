import type { Asset, AssetDetail, TechnicalMetadata } from "@reelay/contract";
import type { MediaFacts } from "../media/media-facts.ts";
import type { AssetRecord, DerivedMedia } from "../state/emulator-state.ts";
import { hlsManifestUrl, thumbnailUrl } from "./asset-media-urls.ts";

/** The `Asset` body `POST /assets` answers with. */
export function toAsset(asset: AssetRecord): Asset {
  return {
    _id: asset.id,
    method: asset.method,
    status: asset.status,
    filename: asset.filename,
    file_type: asset.fileType,
    created_at: asset.createdAt.toISOString(),
    user_metadata: asset.userMetadata,
  };
}

/**
 * The `AssetDetail` body of retrieve and list. Size, duration and metadata appear only once ready.
 * `origin` is where the client reached the emulator: thumbnail and HLS URLs are served from there.
 */
export function toAssetDetail(asset: AssetRecord, origin: string): AssetDetail {
  const facts = asset.status === "ready" ? asset.facts : undefined;
  const hls = derivedStatus(asset, asset.enableHls, asset.hls);
  const thumbnail = derivedStatus(asset, asset.enableThumbnail, asset.thumbnail);
  return {
    ...toAsset(asset),
    hls: hls && { status: hls, manifest_url: hls === "ready" ? hlsManifestUrl(origin, asset.id) : undefined },
    thumbnail: thumbnail && { status: thumbnail, representative_url: thumbnail === "ready" ? thumbnailUrl(origin, asset.id) : undefined },
    technical_metadata: facts ? technicalMetadata(facts) : undefined,
    size: facts?.sizeBytes,
    duration: facts?.durationSec,
    error: asset.status === "failed" ? { message: asset.failure ?? "the asset could not be processed" } : undefined,
  };
}

/**
 * A requested rendition is `pending` until the asset is ready (it cannot start before), `error` if
 * the asset failed, then follows its own generation. A ready asset without the record is a kind
 * the platform ignores the flag for (HLS of an image, thumbnail of audio): the field is absent.
 */
function derivedStatus(asset: AssetRecord, requested: boolean, media: DerivedMedia | undefined): DerivedMedia["status"] | undefined {
  if (!requested) return undefined;
  if (asset.status === "processing") return "pending";
  if (asset.status === "failed") return "error";
  return media?.status;
}

export function technicalMetadata(facts: MediaFacts): TechnicalMetadata {
  const video = facts.video[0];
  const audio = facts.audio[0];
  const isImage = facts.kind === "image";
  return {
    file_size_bytes: facts.sizeBytes,
    file_mime_type: facts.mimeType,
    file_container_format: facts.containerFormat,
    ...(isImage
      ? { image_width: video?.width, image_height: video?.height, image_format: video?.codec }
      : {
          video_streams: facts.video.map((s) => ({
            index: s.index,
            codec: s.codec,
            width: s.width,
            height: s.height,
            fps: s.fps,
            avg_fps: s.avgFps,
            duration_seconds: s.durationSec,
            bitrate_bps: s.bitrateBps,
            pixel_aspect_ratio: s.pixelAspectRatio,
            display_aspect_ratio: s.displayAspectRatio,
            pixel_format: s.pixelFormat,
          })),
          video_codec: video?.codec,
          video_width: video?.width,
          video_height: video?.height,
          video_fps: video?.fps,
          video_duration_seconds: video ? (video.durationSec ?? facts.durationSec) : undefined,
          video_bitrate_bps: video?.bitrateBps,
          audio_streams: facts.audio.map((s) => ({
            index: s.index,
            codec: s.codec,
            codec_long: s.codecLong,
            sample_rate: s.sampleRate,
            channels: s.channels,
            channel_layout: s.channelLayout,
            bitrate_bps: s.bitrateBps,
            language: s.language,
            duration_seconds: s.durationSec,
          })),
          audio_codec: audio?.codec,
          audio_sample_rate: audio?.sampleRate,
          audio_channels: audio?.channels,
          audio_duration_seconds: audio ? (audio.durationSec ?? facts.durationSec) : undefined,
        }),
    has_audio: facts.audio.length > 0,
    total_video_streams: facts.video.length,
    total_audio_streams: facts.audio.length,
  };
}
