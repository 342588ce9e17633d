/**
 * The one event catalog: every visible state change writes exactly one of these to the outbox, in
 * the transaction that makes the change. Webhooks, the jobs SSE stream, long-polls and the worker's
 * wake-ups all read them. `data` is the resource in its wire shape (with `job_id`) as of the change.
 */
import { z } from "zod";
import { JobObject, type ResourceType } from "./jobs-wire.ts";
import { GatewayResponse } from "./responses-wire.ts";
import { AssetDetail } from "./assets-wire.ts";
import { KnowledgeStoreItem } from "./items-wire.ts";
import { KnowledgeStore } from "./knowledge-stores-wire.ts";
import { KnowledgeStoreItemCollection } from "./collections-wire.ts";

/** What every resource body carries in addition to the platform's fields. */
const withJob = { job_id: z.string().nullable().optional() };

export const AssetEventData = AssetDetail.extend(withJob);
export const KnowledgeStoreEventData = KnowledgeStore.extend(withJob);
export const ItemEventData = KnowledgeStoreItem.extend({ ...withJob, knowledge_store_id: z.string() });
export const ResponseEventData = GatewayResponse.extend(withJob);
export const CollectionEventData = KnowledgeStoreItemCollection.extend(withJob);
/** A search is Reelay's own record of one platform search (its results are not in the event). */
export const SearchEventData = z.object({
  _id: z.string(),
  knowledge_store_id: z.string(),
  status: z.enum(["queued", "completed", "failed"]),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  ...withJob,
});
export const WebhookEndpointEventData = z.object({
  _id: z.string(),
  url: z.string(),
  enabled: z.boolean(),
  disabled_reason: z.string().nullable(),
});

interface EventDefinition<D extends z.ZodType> {
  resource: ResourceType;
  data: D;
  /** Whether webhook endpoints can receive it; the others only feed streams and wake-ups. */
  webhook: boolean;
  /** One line for the docs. */
  description: string;
}

const define = <D extends z.ZodType>(definition: EventDefinition<D>) => definition;

export const eventCatalog = {
  "asset.created": define({ resource: "asset", data: AssetEventData, webhook: true, description: "An asset was accepted; it is processing." }),
  "asset.ready": define({ resource: "asset", data: AssetEventData, webhook: true, description: "The platform processed the asset; it can be indexed." }),
  "asset.failed": define({ resource: "asset", data: AssetEventData, webhook: true, description: "The asset could not be processed, or its job was cancelled; `error.message` says why." }),
  "asset.updated": define({ resource: "asset", data: AssetEventData, webhook: true, description: "The asset's user metadata changed, or its HLS stream or thumbnail moved on (`hls`, `thumbnail`)." }),
  "asset.deleted": define({ resource: "asset", data: AssetEventData, webhook: true, description: "The asset was deleted; it is gone from every answer, and its platform copy is deleted by a job." }),

  "knowledge_store.created": define({ resource: "knowledge_store", data: KnowledgeStoreEventData, webhook: true, description: "A knowledge store was accepted." }),
  "knowledge_store.synced": define({ resource: "knowledge_store", data: KnowledgeStoreEventData, webhook: true, description: "The store exists on the platform." }),
  "knowledge_store.failed": define({ resource: "knowledge_store", data: KnowledgeStoreEventData, webhook: true, description: "The store could not be created on the platform." }),
  "knowledge_store.updated": define({ resource: "knowledge_store", data: KnowledgeStoreEventData, webhook: true, description: "The store's name, description or metadata changed; a job pushes the change to the platform." }),
  "knowledge_store.deleted": define({ resource: "knowledge_store", data: KnowledgeStoreEventData, webhook: true, description: "The store was deleted with all its items and collections; its platform copy is deleted by a job." }),

  "knowledge_store_item.created": define({ resource: "knowledge_store_item", data: ItemEventData, webhook: true, description: "An item was accepted (`queued`)." }),
  "knowledge_store_item.pending": define({ resource: "knowledge_store_item", data: ItemEventData, webhook: true, description: "The platform took the item (`pending`)." }),
  "knowledge_store_item.processing": define({ resource: "knowledge_store_item", data: ItemEventData, webhook: true, description: "The platform is indexing the item." }),
  "knowledge_store_item.ready": define({ resource: "knowledge_store_item", data: ItemEventData, webhook: true, description: "The item is indexed and can be asked about." }),
  "knowledge_store_item.failed": define({ resource: "knowledge_store_item", data: ItemEventData, webhook: true, description: "The item could not be indexed, or its job was cancelled." }),
  "knowledge_store_item.deleted": define({ resource: "knowledge_store_item", data: ItemEventData, webhook: true, description: "The item was deleted (by itself or with its store); it left its collections, and its platform copy is deleted by a job." }),

  "knowledge_store_item_collection.created": define({ resource: "knowledge_store_item_collection", data: CollectionEventData, webhook: true, description: "An item collection was accepted (`sync_status: pending`)." }),
  "knowledge_store_item_collection.updated": define({ resource: "knowledge_store_item_collection", data: CollectionEventData, webhook: true, description: "The collection's name, description, metadata or members changed, or a member finished indexing: `sync_status` is `pending` until the platform's copy catches up." }),
  "knowledge_store_item_collection.synced": define({ resource: "knowledge_store_item_collection", data: CollectionEventData, webhook: true, description: "The platform's copy of the collection matches it (every indexed member included)." }),
  "knowledge_store_item_collection.failed": define({ resource: "knowledge_store_item_collection", data: CollectionEventData, webhook: true, description: "The collection could not be created or updated on the platform; `error.message` says why (the next change tries again)." }),
  "knowledge_store_item_collection.deleted": define({ resource: "knowledge_store_item_collection", data: CollectionEventData, webhook: true, description: "The collection was deleted (its items stay in the store); its platform copy is deleted by a job." }),

  "knowledge_store_search.created": define({ resource: "knowledge_store_search", data: SearchEventData, webhook: false, description: "A search was accepted; the worker asks the platform." }),
  "knowledge_store_search.completed": define({ resource: "knowledge_store_search", data: SearchEventData, webhook: false, description: "The platform's results are stored (the waiting request answers with them)." }),
  "knowledge_store_search.failed": define({ resource: "knowledge_store_search", data: SearchEventData, webhook: false, description: "The search could not be answered; `data.error` says why." }),

  "response.created": define({ resource: "response", data: ResponseEventData, webhook: true, description: "A question was accepted (`queued`)." }),
  "response.in_progress": define({ resource: "response", data: ResponseEventData, webhook: false, description: "The question is being asked of the platform." }),
  "response.completed": define({ resource: "response", data: ResponseEventData, webhook: true, description: "The answer is in `data` (status `completed` or `incomplete`)." }),
  "response.failed": define({ resource: "response", data: ResponseEventData, webhook: true, description: "No answer: `data.error` says why." }),

  "job.created": define({ resource: "job", data: JobObject, webhook: false, description: "A job was created with its resource." }),
  "job.running": define({ resource: "job", data: JobObject, webhook: false, description: "Reelay is working on the job (or its stage changed)." }),
  "job.waiting_remote": define({ resource: "job", data: JobObject, webhook: false, description: "The platform is working; Reelay polls it." }),
  "job.succeeded": define({ resource: "job", data: JobObject, webhook: true, description: "The job finished its work." }),
  "job.failed": define({ resource: "job", data: JobObject, webhook: true, description: "The job gave up; `data.last_error` says why." }),
  "job.cancelled": define({ resource: "job", data: JobObject, webhook: true, description: "The job was cancelled through the API." }),

  "webhook_endpoint.disabled": define({ resource: "webhook_endpoint", data: WebhookEndpointEventData, webhook: true, description: "An endpoint was disabled (410 Gone, or five days of failures)." }),
  "webhook_endpoint.test": define({ resource: "webhook_endpoint", data: WebhookEndpointEventData, webhook: true, description: "Sent by POST /webhooks/{id}/test, to that endpoint only." }),
} as const;

export type EventType = keyof typeof eventCatalog;
export type EventData<T extends EventType> = z.infer<(typeof eventCatalog)[T]["data"]>;
export const eventTypes = Object.keys(eventCatalog) as EventType[];
export const webhookEventTypes = eventTypes.filter((type) => eventCatalog[type].webhook);

export function isEventType(name: string): name is EventType {
  return Object.hasOwn(eventCatalog, name);
}

/** The body of every webhook delivery and SSE message: `{id, type, timestamp, sequence, data}`. */
export const EventEnvelope = z.object({
  id: z.string(),
  type: z.string(),
  timestamp: z.string(),
  /** The resource's version after this change: increases per resource. */
  sequence: z.number().int(),
  data: z.record(z.string(), z.unknown()),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;
