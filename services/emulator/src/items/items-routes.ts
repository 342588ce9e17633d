import { CreateItemBody, ItemListQuery } from "@reelay/contract";
import type { PageInfo } from "@reelay/contract";
import { Router } from "express";
import { z } from "zod";
import type { EmulatorContext } from "../context.ts";
import { paginate } from "../http/paginate.ts";
import { parseInput } from "../http/parse-input.ts";
import { createItem } from "./create-item.ts";
import { deleteItem } from "./delete-item.ts";
import { getItem } from "./get-item.ts";
import { toItem } from "./item-view.ts";
import { listItems } from "./list-items.ts";

const StoreParams = z.object({ knowledge_store_id: z.string().min(1) });
const ItemParams = StoreParams.extend({ item_id: z.string().min(1) });

export function itemsRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.post("/knowledge-stores/:knowledge_store_id/items", (req, res) => {
    const { knowledge_store_id } = parseInput(StoreParams, req.params, "knowledge_store_item");
    const body = parseInput(CreateItemBody, req.body, "knowledge_store_item");
    res.status(202).json(toItem(createItem(ctx, knowledge_store_id, body)));
  });

  router.get("/knowledge-stores/:knowledge_store_id/items", (req, res) => {
    const { knowledge_store_id } = parseInput(StoreParams, req.params, "knowledge_store_item");
    const query = parseInput(ItemListQuery, req.query, "knowledge_store_item");
    const rows = listItems(ctx, knowledge_store_id, { statuses: query.status, sortBy: query.sort_by, order: query.sort_option });
    const body: { data: Array<ReturnType<typeof toItem>>; page_info: PageInfo } = paginate(rows.map(toItem), query);
    res.json(body);
  });

  router.get("/knowledge-stores/:knowledge_store_id/items/:item_id", (req, res) => {
    const { knowledge_store_id, item_id } = parseInput(ItemParams, req.params, "knowledge_store_item");
    res.json(toItem(getItem(ctx, knowledge_store_id, item_id)));
  });

  router.delete("/knowledge-stores/:knowledge_store_id/items/:item_id", (req, res) => {
    const { knowledge_store_id, item_id } = parseInput(ItemParams, req.params, "knowledge_store_item");
    deleteItem(ctx, knowledge_store_id, item_id);
    res.status(204).end();
  });

  return router;
}
