import { Router } from "express";
import { z } from "zod";
import { CreateKnowledgeStoreBody, KnowledgeStoreListQuery, pageInfo } from "@reelay/contract";
import { toKnowledgeStoreWire } from "@reelay/domain";
import { tenantOf } from "../http/auth.ts";
import { sendCreated } from "../http/created.ts";
import { parse } from "../http/validate.ts";
import { createKnowledgeStore, type KnowledgeStoreDeps } from "./create-knowledge-store.ts";
import { getKnowledgeStore } from "./get-knowledge-store.ts";
import { listKnowledgeStores } from "./list-knowledge-stores.ts";

export const KnowledgeStoreParams = z.object({ knowledge_store_id: z.string() });

export function knowledgeStoreRoutes(deps: KnowledgeStoreDeps): Router {
  const router = Router();

  router.post("/knowledge-stores", async (req, res) => {
    const body = parse(CreateKnowledgeStoreBody, req.body, "knowledge_store");
    const { store, job } = await createKnowledgeStore(deps, tenantOf(res), body);
    sendCreated(res, 201, job, toKnowledgeStoreWire(store));
  });

  router.get("/knowledge-stores", async (req, res) => {
    const query = parse(KnowledgeStoreListQuery, req.query, "knowledge_store");
    const { rows, total } = await listKnowledgeStores(deps.prisma, tenantOf(res), query);
    res.json({ data: rows.map(toKnowledgeStoreWire), page_info: pageInfo(query, total) });
  });

  router.get("/knowledge-stores/:knowledge_store_id", async (req, res) => {
    const { knowledge_store_id } = parse(KnowledgeStoreParams, req.params, "knowledge_store");
    res.json(toKnowledgeStoreWire(await getKnowledgeStore(deps.prisma, tenantOf(res), knowledge_store_id)));
  });

  return router;
}
