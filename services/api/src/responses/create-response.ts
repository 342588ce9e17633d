import type { Queue } from "bullmq";
import { AppError, invalidParameter, newId, notFound, type CreateResponseBody } from "@reelay/contract";
import { asJson, type Job, type PrismaClient, type Response } from "@reelay/db";
import { createResponseRecord } from "@reelay/domain";
import { dispatchAfterCommit } from "@reelay/jobs";

export interface ResponseDeps {
  prisma: PrismaClient;
  queue: Queue;
  log: (message: string, error?: unknown) => void;
}

/** Records the question and its job; the worker asks the platform and writes the answer back. */
export async function createResponse(deps: ResponseDeps, tenantId: string, body: CreateResponseBody): Promise<{ response: Response; job: Job }> {
  if (body.stream) {
    throw new AppError({
      code: "response/stream_unsupported",
      platformCode: "parameter_invalid",
      status: 400,
      message: "Streaming responses are not supported by this gateway yet; send stream: false.",
      errors: [{ field: "stream", message: "must be false" }],
    });
  }
  const collection = body.selections?.findIndex((selection) => selection.kind === "collection") ?? -1;
  if (collection >= 0) throw invalidParameter(`selections.${collection}.kind`, "item collections are not supported by this gateway yet; select their items.", "response");
  const id = newId("response");
  const created = await deps.prisma.$transaction(async (tx) => {
    const store = await tx.knowledgeStore.findFirst({ where: { id: body.knowledge_store_id, tenantId }, select: { id: true } });
    if (!store) throw notFound("knowledge_store", body.knowledge_store_id, "knowledge_stores");
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
