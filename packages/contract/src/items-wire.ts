/** Knowledge store items (`/knowledge-stores/{id}/items`) in the platform's wire shape. */
import { z } from "zod";
import { ItemAssetType, repeatedQuery, StringMap } from "./common-wire.ts";
import { KnowledgeStoreListQuery } from "./knowledge-stores-wire.ts";

export const ItemStatus = z.enum(["queued", "pending", "processing", "ready", "failed"]);
export type ItemStatus = z.infer<typeof ItemStatus>;

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

export const ItemParams = z.object({ knowledge_store_id: z.string().min(1), item_id: z.string().min(1) });
