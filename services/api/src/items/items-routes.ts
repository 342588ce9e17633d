import { Router } from "express";
import { z } from "zod";
import { CreateItemBody, ItemListQuery, pageInfo } from "@reelay/contract";
import { toItemWire } from "@reelay/domain";
import { tenantOf } from "../http/auth.ts";
import { sendCreated } from "../http/created.ts";
import { parse } from "../http/validate.ts";
import { createItem, type ItemDeps } from "./create-item.ts";
import { getItem } from "./get-item.ts";
import { listItems } from "./list-items.ts";

export const ItemParams = z.object({ knowledge_store_id: z.string(), item_id: z.string() });
const StoreParams = ItemParams.pick({ knowledge_store_id: true });

export function itemRoutes(deps: ItemDeps): Router {
  const router = Router();

  router.post("/knowledge-stores/:knowledge_store_id/items", async (req, res) => {
    const { knowledge_store_id } = parse(StoreParams, req.params, "knowledge_store_item");
    const body = parse(CreateItemBody, req.body, "knowledge_store_item");
    const { item, job } = await createItem(deps, tenantOf(res), knowledge_store_id, body);
    sendCreated(res, 202, job, toItemWire(item));
  });

  router.get("/knowledge-stores/:knowledge_store_id/items", async (req, res) => {
    const { knowledge_store_id } = parse(StoreParams, req.params, "knowledge_store_item");
    const query = parse(ItemListQuery, req.query, "knowledge_store_item");
    const { rows, total } = await listItems(deps.prisma, tenantOf(res), knowledge_store_id, query);
    res.json({ data: rows.map(toItemWire), page_info: pageInfo(query, total) });
  });

  router.get("/knowledge-stores/:knowledge_store_id/items/:item_id", async (req, res) => {
    const { knowledge_store_id, item_id } = parse(ItemParams, req.params, "knowledge_store_item");
    res.json(toItemWire(await getItem(deps.prisma, tenantOf(res), knowledge_store_id, item_id)));
  });

  return router;
}
