import type { PageInfo } from "@reelay/contract";
import { Router } from "express";
import type { EmulatorContext } from "../context.ts";
import { paginate } from "../http/paginate.ts";
import { parseInput } from "../http/parse-input.ts";
import { toItem } from "../items/item-view.ts";
import { addCollectionItems, itemsOfCollection, removeCollectionItems } from "./collection-members.ts";
import { CollectionItemsQuery, CollectionListQuery, CollectionMembersBody, CollectionParams, CreateCollectionBody, KnowledgeStoreParams, UpdateCollectionBody } from "@reelay/contract";
import type { KnowledgeStoreItemCollection } from "@reelay/contract";
import { toCollection } from "./collection-view.ts";
import { createCollection } from "./create-collection.ts";
import { deleteCollection } from "./delete-collection.ts";
import { getCollection } from "./get-collection.ts";
import { listCollections } from "./list-collections.ts";
import { updateCollection } from "./update-collection.ts";

const BASE = "/knowledge-stores/:knowledge_store_id/item-collections";
const RESOURCE = "knowledge_store_item_collection";

export function collectionsRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.get(BASE, (req, res) => {
    const { knowledge_store_id } = parseInput(KnowledgeStoreParams, req.params, RESOURCE);
    const query = parseInput(CollectionListQuery, req.query, RESOURCE);
    const body: { data: KnowledgeStoreItemCollection[]; page_info: PageInfo } = paginate(listCollections(ctx, knowledge_store_id, query).map(toCollection), query);
    res.json(body);
  });

  router.post(BASE, (req, res) => {
    const { knowledge_store_id } = parseInput(KnowledgeStoreParams, req.params, RESOURCE);
    const body = parseInput(CreateCollectionBody, req.body, RESOURCE);
    res.status(201).json(toCollection(createCollection(ctx, knowledge_store_id, body)) satisfies KnowledgeStoreItemCollection);
  });

  router.get(`${BASE}/:collection_id`, (req, res) => {
    const { knowledge_store_id, collection_id } = parseInput(CollectionParams, req.params, RESOURCE);
    res.json(toCollection(getCollection(ctx, knowledge_store_id, collection_id)) satisfies KnowledgeStoreItemCollection);
  });

  router.patch(`${BASE}/:collection_id`, (req, res) => {
    const { knowledge_store_id, collection_id } = parseInput(CollectionParams, req.params, RESOURCE);
    const body = parseInput(UpdateCollectionBody, req.body, RESOURCE);
    res.json(toCollection(updateCollection(ctx, knowledge_store_id, collection_id, body)) satisfies KnowledgeStoreItemCollection);
  });

  router.delete(`${BASE}/:collection_id`, (req, res) => {
    const { knowledge_store_id, collection_id } = parseInput(CollectionParams, req.params, RESOURCE);
    deleteCollection(ctx, knowledge_store_id, collection_id);
    res.status(204).end();
  });

  router.get(`${BASE}/:collection_id/items`, (req, res) => {
    const { knowledge_store_id, collection_id } = parseInput(CollectionParams, req.params, RESOURCE);
    const query = parseInput(CollectionItemsQuery, req.query, RESOURCE);
    const body: { data: Array<ReturnType<typeof toItem>>; page_info: PageInfo } = paginate(itemsOfCollection(ctx, knowledge_store_id, collection_id).map(toItem), query);
    res.json(body);
  });

  router.post(`${BASE}/:collection_id/items/add`, (req, res) => {
    const { knowledge_store_id, collection_id } = parseInput(CollectionParams, req.params, RESOURCE);
    const { item_ids } = parseInput(CollectionMembersBody, req.body, RESOURCE);
    res.json(toCollection(addCollectionItems(ctx, knowledge_store_id, collection_id, item_ids)) satisfies KnowledgeStoreItemCollection);
  });

  // The SDK declares no body for a removal (it returns void).
  router.post(`${BASE}/:collection_id/items/remove`, (req, res) => {
    const { knowledge_store_id, collection_id } = parseInput(CollectionParams, req.params, RESOURCE);
    const { item_ids } = parseInput(CollectionMembersBody, req.body, RESOURCE);
    removeCollectionItems(ctx, knowledge_store_id, collection_id, item_ids);
    res.status(204).end();
  });

  return router;
}
