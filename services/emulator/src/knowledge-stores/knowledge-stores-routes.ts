import { CreateKnowledgeStoreBody, KnowledgeStoreListQuery, KnowledgeStoreParams as StoreParams, UpdateKnowledgeStoreBody } from "@reelay/contract";
import type { KnowledgeStore, PageInfo } from "@reelay/contract";
import { Router } from "express";
import type { EmulatorContext } from "../context.ts";
import { paginate } from "../http/paginate.ts";
import { parseInput } from "../http/parse-input.ts";
import { createKnowledgeStore } from "./create-knowledge-store.ts";
import { deleteKnowledgeStore } from "./delete-knowledge-store.ts";
import { getKnowledgeStore } from "./get-knowledge-store.ts";
import { toKnowledgeStore } from "./knowledge-store-view.ts";
import { listKnowledgeStores } from "./list-knowledge-stores.ts";
import { SearchBody } from "@reelay/contract";
import type { SearchResponse } from "@reelay/contract";
import { searchKnowledgeStore } from "./search-knowledge-store.ts";
import { updateKnowledgeStore } from "./update-knowledge-store.ts";

export function knowledgeStoresRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const view = (store: Parameters<typeof toKnowledgeStore>[1]): KnowledgeStore => toKnowledgeStore(ctx.state, store);

  router.post("/knowledge-stores", (req, res) => {
    const body = parseInput(CreateKnowledgeStoreBody, req.body, "knowledge_store");
    res.status(201).json(view(createKnowledgeStore(ctx, body)));
  });

  router.get("/knowledge-stores", (req, res) => {
    const query = parseInput(KnowledgeStoreListQuery, req.query, "knowledge_store");
    const body: { data: KnowledgeStore[]; page_info: PageInfo } = paginate(listKnowledgeStores(ctx, query.sort_by, query.sort_option).map(view), query);
    res.json(body);
  });

  router.get("/knowledge-stores/:knowledge_store_id", (req, res) => {
    const { knowledge_store_id } = parseInput(StoreParams, req.params, "knowledge_store");
    res.json(view(getKnowledgeStore(ctx, knowledge_store_id)));
  });

  router.patch("/knowledge-stores/:knowledge_store_id", (req, res) => {
    const { knowledge_store_id } = parseInput(StoreParams, req.params, "knowledge_store");
    const body = parseInput(UpdateKnowledgeStoreBody, req.body, "knowledge_store");
    res.json(view(updateKnowledgeStore(ctx, knowledge_store_id, body)));
  });

  router.delete("/knowledge-stores/:knowledge_store_id", (req, res) => {
    const { knowledge_store_id } = parseInput(StoreParams, req.params, "knowledge_store");
    deleteKnowledgeStore(ctx, knowledge_store_id);
    res.status(204).end();
  });

  router.post("/knowledge-stores/:knowledge_store_id/search", (req, res) => {
    const { knowledge_store_id } = parseInput(StoreParams, req.params, "knowledge_store");
    const body = parseInput(SearchBody, req.body, "knowledge_store");
    const answer: SearchResponse = searchKnowledgeStore(ctx, knowledge_store_id, body);
    res.json(answer);
  });

  return router;
}
