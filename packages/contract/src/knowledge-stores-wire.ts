/** Knowledge stores (`/knowledge-stores`) in the platform's wire shape, search included. */
import { z } from "zod";
import { ItemAssetType, PageQuery, StringMap } from "./common-wire.ts";

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

export const KnowledgeStoreParams = z.object({ knowledge_store_id: z.string().min(1) });

/** `PATCH /knowledge-stores/{id}`: name, description, metadata only; `metadata` replaces the map in full. */
export const UpdateKnowledgeStoreBody = z.object({
  name: z.string().trim().min(1).max(255).optional(),
  description: z.string().max(10_000).optional(),
  // The platform stores a null metadata value as an empty string.
  metadata: z.record(z.string(), z.string().nullable().transform((v) => v ?? "")).pipe(StringMap).optional(),
});
export type UpdateKnowledgeStoreBody = z.infer<typeof UpdateKnowledgeStoreBody>;

// ---------- search ----------

/** `{eq}` or `{in}`, exactly one of them. */
const oneOperator = <T extends z.ZodType>(value: T) =>
  z
    .object({ eq: value.optional(), in: z.array(value).min(1).optional() })
    .refine((filter) => (filter.eq === undefined) !== (filter.in === undefined), "give exactly one of eq and in");

export const VideoModality = z.enum(["visual", "audio"]);
export type VideoModality = z.infer<typeof VideoModality>;

export const SearchOptions = z.object({ video: z.object({ modalities: z.array(VideoModality).min(1) }).optional() });

export const SearchBody = z
  .object({
    query: z.object({ text: z.string().trim().min(1).max(10_000) }),
    filter: z.object({ asset_type: oneOperator(ItemAssetType).optional(), item_id: oneOperator(z.string().min(1)).optional() }).optional(),
    search_options: SearchOptions.optional(),
    group_by: z.enum(["none", "item"]).default("none"),
    page_size: z.number().int().min(1).max(50).default(10),
    page_token: z.string().min(1).optional(),
    include_metadata: z.boolean().default(false),
  })
  .superRefine((body, ctx) => {
    if (body.search_options?.video && !searchedTypes(body.filter?.asset_type).includes("video")) {
      ctx.addIssue({ code: "custom", path: ["search_options", "video"], message: "video options need videos in the search; filter.asset_type excludes them" });
    }
  });
export type SearchBody = z.infer<typeof SearchBody>;

/** The item types a search covers under its `filter.asset_type`. */
export function searchedTypes(filter: { eq?: "video" | "image" | undefined; in?: Array<"video" | "image"> | undefined } | undefined): Array<"video" | "image"> {
  if (filter?.eq) return [filter.eq];
  return filter?.in ?? ["video", "image"];
}

export const VideoMatch = z.object({
  start_sec: z.number(),
  end_sec: z.number(),
  modalities: z.array(VideoModality),
  transcription: z.string().optional(),
});
export type VideoMatch = z.infer<typeof VideoMatch>;

const SystemMetadata = z.object({ duration: z.number().optional(), width: z.number().optional(), height: z.number().optional(), size: z.number().optional() });

export const SearchHit = z.discriminatedUnion("asset_type", [
  z.object({
    asset_type: z.literal("video"),
    rank: z.number().int(),
    item_id: z.string(),
    metadata: z.object({ system: SystemMetadata.optional(), user: StringMap.optional() }).optional(),
    matches: z.array(VideoMatch),
  }),
  z.object({
    asset_type: z.literal("image"),
    rank: z.number().int(),
    item_id: z.string(),
    metadata: z.object({ system: SystemMetadata.omit({ duration: true }).optional(), user: StringMap.optional() }).optional(),
  }),
]);
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchResponse = z.object({
  data: z.array(SearchHit),
  next_page_token: z.string().optional(),
  effective_search_options: SearchOptions,
});
export type SearchResponse = z.infer<typeof SearchResponse>;
