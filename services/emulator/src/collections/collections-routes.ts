import { routes } from "@reelay/contract";
import type { KnowledgeStoreItemCollection, PageInfo } from "@reelay/contract";
import { Router } from "express";
import type { EmulatorContext } from "../context.ts";
import { bindRoute } from "../http/bind-route.ts";
import { paginate } from "../http/paginate.ts";
import { toItem } from "../items/item-view.ts";
import { addCollectionItems, itemsOfCollection, removeCollectionItems } from "./collection-members.ts";
import { toCollection } from "./collection-view.ts";
import { createCollection } from "./create-collection.ts";
import { deleteCollection } from "./delete-collection.ts";
import { getCollection } from "./get-collection.ts";
import { listCollections } from "./list-collections.ts";
import { updateCollection } from "./update-collection.ts";

export function collectionsRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  bindRoute(router, routes["collections.list"], ({ params, query }, _req, res) => {
    const body: { data: KnowledgeStoreItemCollection[]; page_info: PageInfo } = paginate(listCollections(ctx, params.knowledge_store_id, query).map(toCollection), query);
    res.json(body);
  });

  bindRoute(router, routes["collections.create"], ({ params, body }, _req, res) => {
    res.status(201).json(toCollection(createCollection(ctx, params.knowledge_store_id, body)) satisfies KnowledgeStoreItemCollection);
  });

  bindRoute(router, routes["collections.retrieve"], ({ params }, _req, res) => {
    res.json(toCollection(getCollection(ctx, params.knowledge_store_id, params.collection_id)) satisfies KnowledgeStoreItemCollection);
  });

  bindRoute(router, routes["collections.update"], ({ params, body }, _req, res) => {
    res.json(toCollection(updateCollection(ctx, params.knowledge_store_id, params.collection_id, body)) satisfies KnowledgeStoreItemCollection);
  });

  bindRoute(router, routes["collections.delete"], ({ params }, _req, res) => {
    deleteCollection(ctx, params.knowledge_store_id, params.collection_id);
    res.status(204).end();
  });

  bindRoute(router, routes["collections.items.list"], ({ params, query }, _req, res) => {
    const body: { data: Array<ReturnType<typeof toItem>>; page_info: PageInfo } = paginate(itemsOfCollection(ctx, params.knowledge_store_id, params.collection_id).map(toItem), query);
    res.json(body);
  });

  bindRoute(router, routes["collections.items.add"], ({ params, body }, _req, res) => {
    res.json(toCollection(addCollectionItems(ctx, params.knowledge_store_id, params.collection_id, body.item_ids)) satisfies KnowledgeStoreItemCollection);
  });

  // The SDK declares no body for a removal (it returns void).
  bindRoute(router, routes["collections.items.remove"], ({ params, body }, _req, res) => {
    removeCollectionItems(ctx, params.knowledge_store_id, params.collection_id, body.item_ids);
    res.status(204).end();
  });

  return router;
}
