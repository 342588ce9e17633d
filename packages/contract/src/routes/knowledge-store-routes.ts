import { CollectionItemsQuery, CollectionListQuery, CollectionMembersBody, CollectionParams, CreateCollectionBody, KnowledgeStoreItemCollection, UpdateCollectionBody } from "../collections-wire.ts";
import { listOf } from "../common-wire.ts";
import { CreateItemBody, ItemListQuery, ItemParams, KnowledgeStoreItem } from "../items-wire.ts";
import { CreateKnowledgeStoreBody, KnowledgeStore, KnowledgeStoreListQuery, KnowledgeStoreParams, SearchBody, SearchResponse, UpdateKnowledgeStoreBody } from "../knowledge-stores-wire.ts";
import { defineRoute } from "./route.ts";

const store = { tag: "Knowledge stores", origin: "platform", resource: "knowledge_store" } as const;
const item = { tag: "Knowledge store items", origin: "platform", resource: "knowledge_store_item" } as const;
const collection = { tag: "Item collections", origin: "platform", resource: "knowledge_store_item_collection" } as const;
const STORE = "/knowledge-stores/{knowledge_store_id}";
const COLLECTION = `${STORE}/item-collections/{collection_id}`;

export const knowledgeStoreRoutes = [
  defineRoute({ ...store, id: "knowledge_stores.create", method: "post", path: "/knowledge-stores", summary: "Create a knowledge store, optionally with an ingestion config", body: CreateKnowledgeStoreBody, success: { status: 201, description: "The store", schema: KnowledgeStore }, errors: [422] }),
  defineRoute({ ...store, id: "knowledge_stores.list", method: "get", path: "/knowledge-stores", summary: "List knowledge stores", query: KnowledgeStoreListQuery, success: { status: 200, description: "A page of stores", schema: listOf(KnowledgeStore) }, errors: [] }),
  defineRoute({ ...store, id: "knowledge_stores.retrieve", method: "get", path: STORE, summary: "Retrieve a knowledge store", params: KnowledgeStoreParams, success: { status: 200, description: "The store", schema: KnowledgeStore }, errors: [404] }),
  defineRoute({ ...store, id: "knowledge_stores.update", method: "patch", path: STORE, summary: "Change a store's name, description or metadata (the ingestion config is immutable)", params: KnowledgeStoreParams, body: UpdateKnowledgeStoreBody, success: { status: 200, description: "The store", schema: KnowledgeStore }, errors: [404] }),
  defineRoute({ ...store, id: "knowledge_stores.delete", method: "delete", path: STORE, summary: "Delete a store and all its items", params: KnowledgeStoreParams, success: { status: 204, description: "Deleted" }, errors: [404] }),
  defineRoute({ ...store, id: "knowledge_stores.search", method: "post", path: `${STORE}/search`, summary: "Search the store's items for clips matching a natural-language query", params: KnowledgeStoreParams, body: SearchBody, success: { status: 200, description: "Ranked matches", schema: SearchResponse }, errors: [404, 410] }),

  defineRoute({ ...item, id: "items.create", method: "post", path: `${STORE}/items`, summary: "Add an asset to the store; the item indexes asynchronously (`queued` → `ready`)", params: KnowledgeStoreParams, body: CreateItemBody, success: { status: 202, description: "The item", schema: KnowledgeStoreItem }, errors: [404] }),
  defineRoute({ ...item, id: "items.list", method: "get", path: `${STORE}/items`, summary: "List the store's items", params: KnowledgeStoreParams, query: ItemListQuery, success: { status: 200, description: "A page of items", schema: listOf(KnowledgeStoreItem) }, errors: [404] }),
  defineRoute({ ...item, id: "items.retrieve", method: "get", path: `${STORE}/items/{item_id}`, summary: "Retrieve an item (poll it until `ready`)", params: ItemParams, success: { status: 200, description: "The item", schema: KnowledgeStoreItem }, errors: [404] }),
  defineRoute({ ...item, id: "items.delete", method: "delete", path: `${STORE}/items/{item_id}`, summary: "Remove an item from the store", params: ItemParams, success: { status: 204, description: "Deleted" }, errors: [404] }),

  defineRoute({ ...collection, id: "collections.list", method: "get", path: `${STORE}/item-collections`, summary: "List the store's item collections", params: KnowledgeStoreParams, query: CollectionListQuery, success: { status: 200, description: "A page of collections", schema: listOf(KnowledgeStoreItemCollection) }, errors: [404] }),
  defineRoute({ ...collection, id: "collections.create", method: "post", path: `${STORE}/item-collections`, summary: "Create a named subset of the store's items", params: KnowledgeStoreParams, body: CreateCollectionBody, success: { status: 201, description: "The collection", schema: KnowledgeStoreItemCollection }, errors: [404] }),
  defineRoute({ ...collection, id: "collections.retrieve", method: "get", path: COLLECTION, summary: "Retrieve a collection", params: CollectionParams, success: { status: 200, description: "The collection", schema: KnowledgeStoreItemCollection }, errors: [404] }),
  defineRoute({ ...collection, id: "collections.update", method: "patch", path: COLLECTION, summary: "Change a collection's name, description or metadata", params: CollectionParams, body: UpdateCollectionBody, success: { status: 200, description: "The collection", schema: KnowledgeStoreItemCollection }, errors: [404] }),
  defineRoute({ ...collection, id: "collections.delete", method: "delete", path: COLLECTION, summary: "Delete a collection (its items stay in the store)", params: CollectionParams, success: { status: 204, description: "Deleted" }, errors: [404] }),
  defineRoute({ ...collection, id: "collections.items.list", method: "get", path: `${COLLECTION}/items`, summary: "List a collection's items", params: CollectionParams, query: CollectionItemsQuery, success: { status: 200, description: "A page of items", schema: listOf(KnowledgeStoreItem) }, errors: [404] }),
  defineRoute({ ...collection, id: "collections.items.add", method: "post", path: `${COLLECTION}/items/add`, summary: "Add items to a collection", params: CollectionParams, body: CollectionMembersBody, success: { status: 200, description: "The collection", schema: KnowledgeStoreItemCollection }, errors: [404] }),
  defineRoute({ ...collection, id: "collections.items.remove", method: "post", path: `${COLLECTION}/items/remove`, summary: "Remove items from a collection", params: CollectionParams, body: CollectionMembersBody, success: { status: 204, description: "Removed" }, errors: [404] }),
];
