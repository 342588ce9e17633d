import type { Queue } from "bullmq";
import { AppError, newId, notFound, type CreateResponseBody } from "@reelay/contract";
import { asJson, type PrismaClient, type Response } from "@reelay/db";
import { createJobRow, dispatchAfterCommit } from "@reelay/jobs";

export interface ResponseDeps {
  prisma: PrismaClient;
  queue: Queue;
  log: (message: string, error?: unknown) => void;
}

/** Records the question and its job; the worker asks the platform and writes the answer back. */
export async function createResponse(deps: ResponseDeps, tenantId: string, body: CreateResponseBody): Promise<Response> {
  if (body.stream) {
    throw new AppError({
      code: "response/stream_unsupported",
      platformCode: "parameter_invalid",
      status: 400,
      message: "Streaming responses are not supported by this gateway yet; send stream: false.",
      errors: [{ field: "stream", message: "must be false" }],
    });
  }
  const id = newId("response");
  const response = await deps.prisma.$transaction(async (tx) => {
    const store = await tx.knowledgeStore.findFirst({ where: { id: body.knowledge_store_id, tenantId }, select: { id: true } });
    if (!store) throw notFound("knowledge_store", body.knowledge_store_id, "knowledge_stores");
    const created = await tx.response.create({ data: { id, tenantId, knowledgeStoreId: store.id, request: asJson(body) } });
    await createJobRow(tx, { tenantId, type: "response.create", resourceId: id });
    return created;
  });
  await dispatchAfterCommit(deps.queue, "response.create", { responseId: id }, (error) => deps.log(`response ${id}: dispatch deferred to the reconciler`, error));
  return response;
}
