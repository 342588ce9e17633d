import { Router } from "express";
import { pageInfo, routes } from "@reelay/contract";
import { toItemWire } from "@reelay/domain";
import { tenantOf } from "../http/auth.ts";
import { bindRoute } from "../http/bind-route.ts";
import { sendCreated } from "../http/created.ts";
import { createItem, type ItemDeps } from "./create-item.ts";
import { deleteItem } from "./delete-item.ts";
import { getItem } from "./get-item.ts";
import { listItems } from "./list-items.ts";

export function itemRoutes(deps: ItemDeps): Router {
  const router = Router();

  bindRoute(router, routes["items.create"], async ({ params, body }, _req, res) => {
    const { item, job } = await createItem(deps, tenantOf(res), params.knowledge_store_id, body);
    sendCreated(res, 202, job, toItemWire(item));
  });

  bindRoute(router, routes["items.list"], async ({ params, query }, _req, res) => {
    const { rows, total } = await listItems(deps.prisma, tenantOf(res), params.knowledge_store_id, query);
    res.json({ data: rows.map(toItemWire), page_info: pageInfo(query, total) });
  });

  bindRoute(router, routes["items.retrieve"], async ({ params }, _req, res) => {
    res.json(toItemWire(await getItem(deps.prisma, tenantOf(res), params.knowledge_store_id, params.item_id)));
  });

  bindRoute(router, routes["items.delete"], async ({ params }, _req, res) => {
    const job = await deleteItem(deps, tenantOf(res), params.knowledge_store_id, params.item_id);
    res.setHeader("X-Job-Id", job.id);
    res.status(204).end();
  });

  return router;
}
