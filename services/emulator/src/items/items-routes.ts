import { routes } from "@reelay/contract";
import type { PageInfo } from "@reelay/contract";
import { Router } from "express";
import type { EmulatorContext } from "../context.ts";
import { bindRoute } from "../http/bind-route.ts";
import { paginate } from "../http/paginate.ts";
import { createItem } from "./create-item.ts";
import { deleteItem } from "./delete-item.ts";
import { getItem } from "./get-item.ts";
import { toItem } from "./item-view.ts";
import { listItems } from "./list-items.ts";

export function itemsRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  bindRoute(router, routes["items.create"], ({ params, body }, _req, res) => {
    res.status(202).json(toItem(createItem(ctx, params.knowledge_store_id, body)));
  });

  bindRoute(router, routes["items.list"], ({ params, query }, _req, res) => {
    const rows = listItems(ctx, params.knowledge_store_id, { statuses: query.status, sortBy: query.sort_by, order: query.sort_option });
    const body: { data: Array<ReturnType<typeof toItem>>; page_info: PageInfo } = paginate(rows.map(toItem), query);
    res.json(body);
  });

  bindRoute(router, routes["items.retrieve"], ({ params }, _req, res) => {
    res.json(toItem(getItem(ctx, params.knowledge_store_id, params.item_id)));
  });

  bindRoute(router, routes["items.delete"], ({ params }, _req, res) => {
    deleteItem(ctx, params.knowledge_store_id, params.item_id);
    res.status(204).end();
  });

  return router;
}
