import type { Asset, AssetDetail, TechnicalMetadata } from "@reelay/contract";
import type { MediaFacts } from "../media/media-facts.ts";
import type { AssetRecord } from "../state/emulator-state.ts";

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

/** The `AssetDetail` body of retrieve and list. Size, duration and metadata appear only once ready. */
export function toAssetDetail(asset: AssetRecord): AssetDetail {
  const facts = asset.status === "ready" ? asset.facts : undefined;
  // The emulator produces no HLS renditions or thumbnails: a requested one is reported as not
  // produced instead of pretending it is still on its way.
  const derived = asset.status === "processing" ? "processing" : "error";
  return {
    ...toAsset(asset),
    hls: asset.enableHls ? { status: derived } : undefined,
    thumbnail: asset.enableThumbnail ? { status: derived } : undefined,
    technical_metadata: facts ? technicalMetadata(facts) : undefined,
    size: facts?.sizeBytes,
    duration: facts?.durationSec,
    error: asset.status === "failed" ? { message: asset.failure ?? "the asset could not be processed" } : undefined,
  };
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
