import { routes } from "@reelay/contract";
import type { KnowledgeStore, PageInfo, SearchResponse } from "@reelay/contract";
import { Router } from "express";
import type { EmulatorContext } from "../context.ts";
import { bindRoute } from "../http/bind-route.ts";
import { paginate } from "../http/paginate.ts";
import { createKnowledgeStore } from "./create-knowledge-store.ts";
import { deleteKnowledgeStore } from "./delete-knowledge-store.ts";
import { getKnowledgeStore } from "./get-knowledge-store.ts";
import { toKnowledgeStore } from "./knowledge-store-view.ts";
import { listKnowledgeStores } from "./list-knowledge-stores.ts";
import { searchKnowledgeStore } from "./search-knowledge-store.ts";
import { updateKnowledgeStore } from "./update-knowledge-store.ts";

export function knowledgeStoresRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const view = (store: Parameters<typeof toKnowledgeStore>[1]): KnowledgeStore => toKnowledgeStore(ctx.state, store);

  bindRoute(router, routes["knowledge_stores.create"], ({ body }, _req, res) => {
    res.status(201).json(view(createKnowledgeStore(ctx, body)));
  });

  bindRoute(router, routes["knowledge_stores.list"], ({ query }, _req, res) => {
    const body: { data: KnowledgeStore[]; page_info: PageInfo } = paginate(listKnowledgeStores(ctx, query.sort_by, query.sort_option).map(view), query);
    res.json(body);
  });

  bindRoute(router, routes["knowledge_stores.retrieve"], ({ params }, _req, res) => {
    res.json(view(getKnowledgeStore(ctx, params.knowledge_store_id)));
  });

  bindRoute(router, routes["knowledge_stores.update"], ({ params, body }, _req, res) => {
    res.json(view(updateKnowledgeStore(ctx, params.knowledge_store_id, body)));
  });

  bindRoute(router, routes["knowledge_stores.delete"], ({ params }, _req, res) => {
    deleteKnowledgeStore(ctx, params.knowledge_store_id);
    res.status(204).end();
  });

  bindRoute(router, routes["knowledge_stores.search"], ({ params, body }, _req, res) => {
    const answer: SearchResponse = searchKnowledgeStore(ctx, params.knowledge_store_id, body);
    res.json(answer);
  });

  return router;
}
