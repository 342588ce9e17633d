import type { Queue } from "bullmq";
import { invalidParameter, newId, notFound, type CreateResponseBody } from "@reelay/contract";
import { asJson, type Job, type PrismaClient, type Response } from "@reelay/db";
import { createResponseRecord } from "@reelay/domain";
import { dispatchAfterCommit } from "@reelay/jobs";
import { checkCollectionSelections } from "../collections/check-collection-selections.ts";

export interface ResponseDeps {
  prisma: PrismaClient;
  queue: Queue;
  log: (message: string, error?: unknown) => void;
}

/** Records the question and its job; the worker asks the platform and writes the answer back. */
export async function createResponse(deps: ResponseDeps, tenantId: string, body: CreateResponseBody): Promise<{ response: Response; job: Job }> {
  const id = newId("response");
  const created = await deps.prisma.$transaction(async (tx) => {
    // One line of SQL rather than a model query (Prisma compiles each, ~2 ms of CPU) on every question.
    const [store] = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT "id" FROM "knowledge_stores" WHERE "id" = ${body.knowledge_store_id} AND "tenant_id" = ${tenantId} AND "deleted_at" IS NULL`;
    if (!store) throw notFound("knowledge_store", body.knowledge_store_id, "knowledge_stores");
    // A selected collection must be one of the store's; the worker asks once its platform copy is synced.
    await checkCollectionSelections(tx, tenantId, store.id, body.selections);
    if (body.session_id) {
      // Sessions are Reelay's ids for the platform's: one this tenant started on this store.
      const session = await tx.responseSession.findFirst({ where: { id: body.session_id, tenantId }, select: { knowledgeStoreId: true } });
      if (!session) throw notFound("session", body.session_id);
      if (session.knowledgeStoreId !== store.id) {
        throw invalidParameter("session_id", `session ${body.session_id} belongs to another knowledge store.`, "response");
      }
    }
    return createResponseRecord(tx, { id, tenantId, knowledgeStoreId: store.id, request: asJson(body), background: body.background ?? false });
  });
  await dispatchAfterCommit(deps.queue, created.job, (error) => deps.log(`response ${id}: dispatch deferred to the reconciler`, error));
  return created;
}
