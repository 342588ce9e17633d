import { ItemAssetType, StringMap } from "@reelay/contract";
import { z } from "zod";

/**
 * `POST /knowledge-stores/{id}/search` (twelvelabs-js 1.3.4 `knowledgeStores.search`), wire shapes.
 * Candidates for `packages/contract`.
 */

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
