import type { KnowledgeStoreItem as WireItem } from "@reelay/contract";
import type { KnowledgeStoreItem } from "@reelay/db";

export type ItemWire = WireItem & { job_id: string | null };

export function toItemWire(item: KnowledgeStoreItem): ItemWire {
  return {
    _id: item.id,
    asset_id: item.assetId,
    asset_type: item.assetType as WireItem["asset_type"],
    status: item.status,
    ...(item.systemMetadata ? { system_metadata: item.systemMetadata as WireItem["system_metadata"] } : {}),
    ...(item.metadata ? { metadata: item.metadata as Record<string, string> } : {}),
    ...(item.status === "failed" ? { error: { message: item.errorMessage ?? "The item could not be indexed." } } : {}),
    created_at: item.createdAt.toISOString(),
    updated_at: item.updatedAt.toISOString(),
    job_id: item.jobId,
  };
}
