import { Router } from "express";
import { pageInfo, routes } from "@reelay/contract";
import { toCollectionWire, toItemWire } from "@reelay/domain";
import { tenantOf } from "../http/auth.ts";
import { bindRoute } from "../http/bind-route.ts";
import { sendCreated } from "../http/created.ts";
import { addCollectionItems } from "./add-collection-items.ts";
import type { CollectionDeps } from "./collection-deps.ts";
import { createCollection } from "./create-collection.ts";
import { deleteCollection } from "./delete-collection.ts";
import { getCollection } from "./get-collection.ts";
import { listCollectionItems } from "./list-collection-items.ts";
import { listCollections } from "./list-collections.ts";
import { removeCollectionItems } from "./remove-collection-items.ts";
import { updateCollection } from "./update-collection.ts";

/** Item collections (`/knowledge-stores/{id}/item-collections`). A change that starts a job names it in `X-Job-Id`. */
export function collectionRoutes(deps: CollectionDeps): Router {
  const router = Router();

  bindRoute(router, routes["collections.list"], async ({ params, query }, _req, res) => {
    const { rows, total } = await listCollections(deps.prisma, tenantOf(res), params.knowledge_store_id, query);
    res.json({ data: rows.map(toCollectionWire), page_info: pageInfo(query, total) });
  });

  bindRoute(router, routes["collections.create"], async ({ params, body }, _req, res) => {
    const { collection, job } = await createCollection(deps, tenantOf(res), params.knowledge_store_id, body);
    sendCreated(res, 201, job, toCollectionWire(collection));
  });

  bindRoute(router, routes["collections.retrieve"], async ({ params }, _req, res) => {
    res.json(toCollectionWire(await getCollection(deps.prisma, tenantOf(res), params.knowledge_store_id, params.collection_id)));
  });

  bindRoute(router, routes["collections.update"], async ({ params, body }, _req, res) => {
    const { collection, job } = await updateCollection(deps, tenantOf(res), params.knowledge_store_id, params.collection_id, body);
    if (job) res.setHeader("X-Job-Id", job.id);
    res.json(toCollectionWire(collection));
  });

  bindRoute(router, routes["collections.delete"], async ({ params }, _req, res) => {
    const job = await deleteCollection(deps, tenantOf(res), params.knowledge_store_id, params.collection_id);
    res.setHeader("X-Job-Id", job.id);
    res.status(204).end();
  });

  bindRoute(router, routes["collections.items.list"], async ({ params, query }, _req, res) => {
    const { rows, total } = await listCollectionItems(deps.prisma, tenantOf(res), params.knowledge_store_id, params.collection_id, query);
    res.json({ data: rows.map(toItemWire), page_info: pageInfo(query, total) });
  });

  bindRoute(router, routes["collections.items.add"], async ({ params, body }, _req, res) => {
    const { collection, job } = await addCollectionItems(deps, tenantOf(res), params.knowledge_store_id, params.collection_id, body.item_ids);
    if (job) res.setHeader("X-Job-Id", job.id);
    res.json(toCollectionWire(collection));
  });

  bindRoute(router, routes["collections.items.remove"], async ({ params, body }, _req, res) => {
    const job = await removeCollectionItems(deps, tenantOf(res), params.knowledge_store_id, params.collection_id, body.item_ids);
    if (job) res.setHeader("X-Job-Id", job.id);
    res.status(204).end();
  });

  return router;
}
