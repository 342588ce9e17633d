/** Assets (`/assets`) in the platform's wire shape. */
import { z } from "zod";
import { PageQuery, queryBoolean, repeatedQuery, UserMetadata } from "./common-wire.ts";

export const AssetMethod = z.enum(["direct", "url", "multipart"]);
export const AssetStatus = z.enum(["processing", "ready", "failed"]);

const formBoolean = z.preprocess(
  (v) => (v === "true" || v === true ? true : v === "false" || v === false || v === undefined || v === "" ? false : v),
  z.boolean(),
);

/** `POST /assets` multipart form fields (the file part travels separately). */
export const CreateAssetForm = z
  .object({
    method: z.enum(["direct", "url"]),
    url: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//i.test(u), "must be an http or https URL")
      .optional(),
    filename: z.string().min(1).max(255).optional(),
    enable_hls: formBoolean.optional(),
    enable_thumbnail: formBoolean.optional(),
    /** A JSON-encoded object whose values are strings, numbers or booleans. */
    user_metadata: z
      .string()
      .transform((raw, ctx) => {
        try {
          return JSON.parse(raw) as unknown;
        } catch {
          ctx.addIssue({ code: "custom", message: "must be a JSON-encoded object" });
          return z.NEVER;
        }
      })
      .pipe(UserMetadata)
      .optional(),
  })
  .superRefine((form, ctx) => {
    if (form.method === "url" && !form.url) {
      ctx.addIssue({ code: "invalid_type", expected: "string", path: ["url"], message: "url is required when method is url", input: undefined });
    }
  });
export type CreateAssetForm = z.infer<typeof CreateAssetForm>;

export const AssetError = z.object({ message: z.string() });
export const MediaStatus = z.enum(["pending", "processing", "ready", "error"]);

export const Asset = z.object({
  _id: z.string(),
  method: AssetMethod,
  status: AssetStatus,
  filename: z.string().optional(),
  file_type: z.string().optional(),
  created_at: z.string(),
  user_metadata: UserMetadata.optional(),
});
export type Asset = z.infer<typeof Asset>;

export const AssetDetail = Asset.extend({
  hls: z.object({ manifest_url: z.string().optional(), status: MediaStatus }).optional(),
  thumbnail: z.object({ representative_url: z.string().optional(), status: MediaStatus }).optional(),
  technical_metadata: z.record(z.string(), z.unknown()).optional(),
  size: z.number().optional(),
  duration: z.number().optional(),
  error: AssetError.optional(),
});
export type AssetDetail = z.infer<typeof AssetDetail>;

export const AssetParams = z.object({ asset_id: z.string().min(1) });

/** `document` is a type the platform lists; the emulator holds no documents, so it matches nothing. */
export const AssetTypeFilterValue = z.enum(["video", "audio", "image", "document"]);

export const ListAssetsQuery = PageQuery.extend({
  filename: z.string().optional(),
  asset_ids: repeatedQuery(z.string().min(1)),
  asset_types: repeatedQuery(AssetTypeFilterValue),
});

export const DeleteAssetQuery = z.object({ force: queryBoolean.optional() });

/** A value `null` deletes the key (PATCH) or is ignored (PUT); `""` is ignored by both. */
export const UserMetadataChangeBody = z.object({
  user_metadata: z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type UserMetadataChange = z.infer<typeof UserMetadataChangeBody>["user_metadata"];
type UserMetadataValues = z.infer<typeof UserMetadata>;

/** `PUT`: the body becomes the metadata; `null` and `""` values are ignored, so `{}` clears it. Undefined: none. */
export function replacedUserMetadata(change: UserMetadataChange): UserMetadataValues | undefined {
  return mergedUserMetadata(undefined, Object.fromEntries(Object.entries(change).filter(([, value]) => value !== null)));
}

/** `PATCH`: merged into the metadata; `null` deletes a key, `""` is ignored, omitted keys stay. Undefined: none. */
export function mergedUserMetadata(current: UserMetadataValues | null | undefined, change: UserMetadataChange): UserMetadataValues | undefined {
  const next: UserMetadataValues = { ...current };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete next[key];
    else if (value !== "") next[key] = value;
  }
  // The platform omits `user_metadata` when an asset has none.
  return Object.keys(next).length > 0 ? next : undefined;
}

export const TranscriptionSegmentation = z.enum(["words", "sentences", "utterances"]);
export type TranscriptionSegmentation = z.infer<typeof TranscriptionSegmentation>;

/** `include` repeats (`include=words&include=utterances`) or is one comma-separated value. */
export const TranscriptionQuery = z.object({
  include: z.preprocess(
    (v) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((part) => String(part).split(",")).map((part) => part.trim())),
    z.array(TranscriptionSegmentation).min(1).default(["words"]),
  ),
});

export const TranscriptionEntry = z.object({ start: z.number(), end: z.number(), value: z.string() });
export const TranscriptionUtterance = TranscriptionEntry.extend({ speaker: z.string().optional() });

/** `GET /assets/{asset_id}/transcription` answer. */
export const AssetTranscription = z.object({
  status: z.enum(["pending", "processing", "ready", "failed"]),
  words: z.array(TranscriptionEntry).optional(),
  sentences: z.array(TranscriptionEntry).optional(),
  utterances: z.array(TranscriptionUtterance).optional(),
  error: z.object({ message: z.string() }).optional(),
});
export type AssetTranscription = z.infer<typeof AssetTranscription>;

/** One video stream of `technical_metadata.video_streams` (SDK `VideoStream`). */
export const VideoStreamMetadata = z.object({
  index: z.number().int().optional(),
  codec: z.string().optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  fps: z.number().optional(),
  avg_fps: z.number().optional(),
  duration_seconds: z.number().optional(),
  bitrate_bps: z.number().optional(),
  pixel_aspect_ratio: z.string().optional(),
  display_aspect_ratio: z.string().optional(),
  pixel_format: z.string().optional(),
});

/** One audio stream of `technical_metadata.audio_streams` (SDK `AudioStream`). */
export const AudioStreamMetadata = z.object({
  index: z.number().int().optional(),
  codec: z.string().optional(),
  codec_long: z.string().optional(),
  sample_rate: z.number().optional(),
  channels: z.number().int().optional(),
  channel_layout: z.string().optional(),
  bitrate_bps: z.number().optional(),
  language: z.string().optional(),
  duration_seconds: z.number().optional(),
});

/**
 * The video/audio/image subset of the SDK's `TechnicalMetadata` (all fields optional there too).
 * `.passthrough()` because the platform sends more (document and geospatial fields).
 */
export const TechnicalMetadata = z
  .object({
    file_size_bytes: z.number().optional(),
    file_mime_type: z.string().optional(),
    file_container_format: z.string().optional(),
    video_streams: z.array(VideoStreamMetadata).optional(),
    video_codec: z.string().optional(),
    video_width: z.number().int().optional(),
    video_height: z.number().int().optional(),
    video_fps: z.number().optional(),
    video_duration_seconds: z.number().optional(),
    video_bitrate_bps: z.number().optional(),
    audio_streams: z.array(AudioStreamMetadata).optional(),
    audio_codec: z.string().optional(),
    audio_sample_rate: z.number().optional(),
    audio_channels: z.number().int().optional(),
    audio_duration_seconds: z.number().optional(),
    image_width: z.number().int().optional(),
    image_height: z.number().int().optional(),
    image_format: z.string().optional(),
    has_audio: z.boolean().optional(),
    total_video_streams: z.number().int().optional(),
    total_audio_streams: z.number().int().optional(),
  })
  .passthrough();
export type TechnicalMetadata = z.infer<typeof TechnicalMetadata>;

