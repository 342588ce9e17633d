import { Router } from "express";
import { AppError, pageInfo, routes } from "@reelay/contract";
import { toKnowledgeStoreWire } from "@reelay/domain";
import { tenantOf } from "../http/auth.ts";
import { bindRoute } from "../http/bind-route.ts";
import { sendCreated } from "../http/created.ts";
import { createKnowledgeStore } from "./create-knowledge-store.ts";
import { deleteKnowledgeStore } from "./delete-knowledge-store.ts";
import { getKnowledgeStore } from "./get-knowledge-store.ts";
import { listKnowledgeStores } from "./list-knowledge-stores.ts";
import { searchKnowledgeStore, type SearchDeps } from "./search-knowledge-store.ts";
import { updateKnowledgeStore } from "./update-knowledge-store.ts";

export function knowledgeStoreRoutes(deps: SearchDeps): Router {
  const router = Router();

  bindRoute(router, routes["knowledge_stores.create"], async ({ body }, _req, res) => {
    const { store, job } = await createKnowledgeStore(deps, tenantOf(res), body);
    sendCreated(res, 201, job, toKnowledgeStoreWire(store));
  });

  bindRoute(router, routes["knowledge_stores.list"], async ({ query }, _req, res) => {
    const { rows, total } = await listKnowledgeStores(deps.prisma, tenantOf(res), query);
    res.json({ data: rows.map(toKnowledgeStoreWire), page_info: pageInfo(query, total) });
  });

  bindRoute(router, routes["knowledge_stores.retrieve"], async ({ params }, _req, res) => {
    res.json(toKnowledgeStoreWire(await getKnowledgeStore(deps.prisma, tenantOf(res), params.knowledge_store_id)));
  });

  bindRoute(router, routes["knowledge_stores.update"], async ({ params, body }, _req, res) => {
    const { store, job } = await updateKnowledgeStore(deps, tenantOf(res), params.knowledge_store_id, body);
    res.setHeader("X-Job-Id", job.id);
    res.json(toKnowledgeStoreWire(store));
  });

  bindRoute(router, routes["knowledge_stores.delete"], async ({ params }, _req, res) => {
    const job = await deleteKnowledgeStore(deps, tenantOf(res), params.knowledge_store_id);
    res.setHeader("X-Job-Id", job.id);
    res.status(204).end();
  });

  bindRoute(router, routes["knowledge_stores.search"], async ({ params, body }, _req, res) => {
    // Stop waiting if the caller goes away; the worker still finishes the search.
    const gone = new AbortController();
    res.on("close", () =>
      gone.abort(new AppError({ code: "request/client_closed", platformCode: "request_canceled_or_timed_out", status: 408, message: "The client closed the connection." })),
    );
    const result = await searchKnowledgeStore(deps, tenantOf(res), params.knowledge_store_id, body, (jobId) => res.setHeader("X-Job-Id", jobId), gone.signal);
    res.json(result);
  });

  return router;
}
