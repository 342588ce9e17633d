/** Item collections (`/knowledge-stores/{id}/item-collections`): named subsets of a store's items. */
import { z } from "zod";
import { PageQuery, StringMap } from "./common-wire.ts";
import { KnowledgeStoreListQuery, KnowledgeStoreParams } from "./knowledge-stores-wire.ts";

export const CollectionParams = KnowledgeStoreParams.extend({ collection_id: z.string().min(1) });

export const CollectionListQuery = KnowledgeStoreListQuery.extend({
  sort_by: z.enum(["created_at", "updated_at", "name"]).default("created_at"),
});
export type CollectionListQuery = z.infer<typeof CollectionListQuery>;
export const CollectionItemsQuery = PageQuery;

const Name = z.string().trim().min(1).max(255);

export const CreateCollectionBody = z.object({
  name: Name,
  description: z.string().max(10_000).optional(),
  metadata: StringMap.optional(),
});
export type CreateCollectionBody = z.infer<typeof CreateCollectionBody>;

/** `metadata` replaces the stored map in full; `{}` clears it. */
export const UpdateCollectionBody = CreateCollectionBody.partial();
export type UpdateCollectionBody = z.infer<typeof UpdateCollectionBody>;

/** `.../items/add` and `.../items/remove`: up to 500 item ids per call. */
export const CollectionMembersBody = z.object({ item_ids: z.array(z.string().min(1)).min(1).max(500) });

export const KnowledgeStoreItemCollection = z.object({
  _id: z.string(),
  knowledge_store_id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  metadata: StringMap.optional(),
  member_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  /**
   * Reelay's addition, like the store's: whether the platform's copy has caught up with the
   * collection (`pending` while a change or a newly indexed member is being pushed, `synced`,
   * `failed` with `error.message`).
   */
  sync_status: z.enum(["pending", "synced", "failed"]).optional(),
  error: z.object({ message: z.string() }).optional(),
});
export type KnowledgeStoreItemCollection = z.infer<typeof KnowledgeStoreItemCollection>;
