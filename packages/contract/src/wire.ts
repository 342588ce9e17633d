/**
 * The platform's v1.3 wire contract (snake_case, as sent over HTTP), shared by the facade and
 * the emulator. Authority: the official twelvelabs-js SDK's serialization types.
 */
import { z } from "zod";

export const API_VERSION = "v1.3";

// ---------- pagination ----------

/** Query strings arrive as strings; an empty value means "not given". */
const queryInt = (fallback: number, max?: number) =>
  z.preprocess(
    (v) => (v === undefined || v === "" ? undefined : Array.isArray(v) ? v[0] : v),
    z.coerce
      .number()
      .int()
      .min(1)
      .max(max ?? Number.MAX_SAFE_INTEGER)
      .default(fallback),
  );

export const PageQuery = z.object({
  page: queryInt(1),
  page_limit: queryInt(10, 50),
});
export type PageQuery = z.infer<typeof PageQuery>;

export const PageInfo = z.object({
  limit_per_page: z.number().int(),
  page: z.number().int(),
  total_page: z.number().int(),
  total_results: z.number().int(),
});
export type PageInfo = z.infer<typeof PageInfo>;

export function pageInfo(query: PageQuery, totalResults: number): PageInfo {
  return {
    limit_per_page: query.page_limit,
    page: query.page,
    total_page: Math.ceil(totalResults / query.page_limit),
    total_results: totalResults,
  };
}

export const listOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), page_info: PageInfo });

/** Repeated query keys (`status=a&status=b`) arrive as an array, a single one as a string. */
export const repeatedQuery = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]), z.array(item).optional());

// ---------- errors ----------

export const ErrorBody = z.object({
  code: z.string(),
  message: z.string(),
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().int().optional(),
  detail: z.string().optional(),
  request_id: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

// ---------- assets ----------

export const AssetMethod = z.enum(["direct", "url", "multipart"]);
export const AssetStatus = z.enum(["processing", "ready", "failed"]);
export const UserMetadata = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

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

// ---------- knowledge stores ----------

const JsonSchemaObject = z.object({ type: z.literal("object"), properties: z.record(z.string(), z.unknown()) }).passthrough();

/**
 * The April contract sends `{description}` or `{json_schema}` without `type`; the July contract
 * (and the SDK) tags it. Accept both and normalise to the tagged form.
 */
export const EnrichmentConfig = z.preprocess(
  (v) => {
    if (v && typeof v === "object" && !("type" in v)) {
      if ("description" in v) return { type: "description", ...v };
      if ("json_schema" in v) return { type: "json_schema", ...v };
    }
    return v;
  },
  z.discriminatedUnion("type", [
    z.object({ type: z.literal("description"), description: z.string().min(1).max(10_000) }),
    z.object({ type: z.literal("json_schema"), json_schema: JsonSchemaObject }),
  ]),
);
export type EnrichmentConfig = z.infer<typeof EnrichmentConfig>;

export const IngestionConfig = z.object({ enrichment_config: EnrichmentConfig });
export type IngestionConfig = z.infer<typeof IngestionConfig>;

export const StringMap = z.record(z.string(), z.string());

export const CreateKnowledgeStoreBody = z.object({
  name: z.string().trim().min(1).max(255),
  description: z.string().max(10_000).optional(),
  metadata: StringMap.optional(),
  ingestion_config: IngestionConfig.optional(),
});
export type CreateKnowledgeStoreBody = z.infer<typeof CreateKnowledgeStoreBody>;

export const KnowledgeStore = z.object({
  _id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  ingestion_config: IngestionConfig.optional(),
  item_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  metadata: StringMap.optional(),
  /**
   * Reelay's addition: whether the store exists on the platform yet (`pending`, `synced`,
   * `failed`), with `error.message` when it could not be created there.
   */
  sync_status: z.enum(["pending", "synced", "failed"]).optional(),
  error: z.object({ message: z.string() }).optional(),
});
export type KnowledgeStore = z.infer<typeof KnowledgeStore>;

export const KnowledgeStoreListQuery = PageQuery.extend({
  sort_by: z.enum(["created_at", "updated_at"]).default("created_at"),
  sort_option: z.enum(["asc", "desc"]).default("desc"),
});

// ---------- knowledge store items ----------

export const ItemStatus = z.enum(["queued", "pending", "processing", "ready", "failed"]);
export type ItemStatus = z.infer<typeof ItemStatus>;
export const ItemAssetType = z.enum(["video", "image"]);

export const CreateItemBody = z.object({
  asset_id: z.string().min(1),
  asset_type: ItemAssetType.optional(),
  metadata: StringMap.optional(),
});
export type CreateItemBody = z.infer<typeof CreateItemBody>;

export const VideoSystemMetadata = z.object({
  asset_type: z.literal("video"),
  filename: z.string().optional(),
  duration: z.number().optional(),
  fps: z.number().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  codec_name: z.string().optional(),
  size: z.number().optional(),
});

export const KnowledgeStoreItem = z.object({
  _id: z.string(),
  asset_id: z.string(),
  asset_type: ItemAssetType,
  status: ItemStatus,
  system_metadata: VideoSystemMetadata.optional(),
  metadata: StringMap.optional(),
  /**
   * Why a `failed` item failed. Not in the platform's item schema (it gives no reason at all);
   * an addition, like the asset's `error`, that SDKs keep as an unknown field.
   */
  error: z.object({ message: z.string() }).optional(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type KnowledgeStoreItem = z.infer<typeof KnowledgeStoreItem>;

export const ItemListQuery = KnowledgeStoreListQuery.extend({ status: repeatedQuery(ItemStatus) });

// ---------- responses ----------

export const ResponseInputMessage = z.object({
  type: z.literal("message"),
  role: z.literal("user"),
  content: z.string().min(1).max(10_000),
});

export const ResponseSelection = z.object({ kind: z.enum(["item", "collection"]), id: z.string().min(1) });

export const CreateResponseBody = z
  .object({
    knowledge_store_id: z.string().min(1).optional(),
    /** The VCS doc set's alternative to `knowledge_store_id`: exactly one store tool. */
    tools: z.array(z.object({ type: z.literal("knowledge_store"), knowledge_store_id: z.string().min(1) })).optional(),
    input: z.array(ResponseInputMessage).min(1),
    session_id: z.string().min(1).optional(),
    instructions: z.string().max(100_000).optional(),
    include: z.array(z.literal("intermediate_outputs")).optional(),
    selections: z.array(ResponseSelection).optional(),
    text: z.record(z.string(), z.unknown()).optional(),
    /** Required by the April contract, gone in July: accepted when it names the one model. */
    model: z.literal("jockey1.0").optional(),
    metadata: StringMap.optional(),
    stream: z.boolean().optional(),
    /**
     * Reelay's addition: answer 202 with the response `queued` at once; the answer is fetched with
     * GET /responses/{id} or received as a `response.completed` webhook.
     */
    background: z.boolean().optional(),
  })
  .superRefine((body, ctx) => {
    const viaTools = body.tools?.length ?? 0;
    if (!body.knowledge_store_id && viaTools === 0) {
      ctx.addIssue({ code: "invalid_type", expected: "string", path: ["knowledge_store_id"], message: "knowledge_store_id is required", input: undefined });
    } else if ((body.knowledge_store_id ? 1 : 0) + viaTools > 1) {
      ctx.addIssue({ code: "custom", path: ["knowledge_store_id"], message: "name exactly one knowledge store" });
    }
  })
  .transform(({ tools, ...body }) => ({
    ...body,
    knowledge_store_id: (body.knowledge_store_id ?? tools?.[0]?.knowledge_store_id) as string,
  }));
export type CreateResponseBody = z.infer<typeof CreateResponseBody>;

// ---------- technical metadata (AssetDetail.technical_metadata) ----------

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
