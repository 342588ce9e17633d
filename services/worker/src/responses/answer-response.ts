import type { TwelvelabsApi } from "twelvelabs-js";
import { ResponseObject, type CreateResponseBody } from "@reelay/contract";
import type { Db } from "@reelay/db";
import { finishResponse, jobFailed, jobSucceeded, startResponse } from "@reelay/domain";
import { toSdkCase, toWireCase } from "../platform/wire-case.ts";
import { awaitDependency, finished, StepFailure, type StepHandler } from "../steps/step.ts";

/**
 * Asks the platform once the store exists upstream, and stores its answer with the platform's
 * ids mapped back to Reelay's. Asking is read-only upstream, so a re-run after a crash at worst
 * asks twice; it never duplicates a resource.
 */
export const answerResponse: StepHandler<"response.create"> = {
  type: "response.create",

  async run(ctx, { responseId }) {
    const response = await ctx.prisma.response.findUnique({ where: { id: responseId }, include: { knowledgeStore: true } });
    if (!response || (response.status !== "queued" && response.status !== "in_progress")) return finished;
    const store = response.knowledgeStore;
    if (store.syncStatus === "failed") {
      throw new StepFailure({ status: 502, code: "knowledge_store_failed", message: `The knowledge store could not be created on the platform: ${store.errorMessage ?? "unknown reason"}.` });
    }
    // The store's knowledge_store.synced event wakes this job; the backoff is only the safety net.
    if (!store.upstreamId) return awaitDependency("await_knowledge_store");
    if (response.status === "queued") await ctx.commit((tx, job) => startResponse(tx, response.id, job({ stage: "ask" })));

    const request = response.request as unknown as CreateResponseBody;
    const selections = await mapSelections(ctx.prisma, response.tenantId, store.id, request.selections);
    const answer = await ctx.platform.createResponse({
      knowledgeStoreId: store.upstreamId,
      input: request.input,
      ...(request.session_id ? { sessionId: request.session_id } : {}),
      ...(request.instructions ? { instructions: request.instructions } : {}),
      ...(request.include ? { include: request.include } : {}),
      ...(selections ? { selections } : {}),
      ...(request.text ? { text: toSdkCase(request.text) as TwelvelabsApi.TextParam } : {}),
    });

    const body = await toReelayResponse(ctx.prisma, response.id, store.id, answer);
    // The platform's own verdict (completed, incomplete, failed) is kept; its body is the answer.
    const outcome = body.status === "failed" ? jobFailed({ code: "response_failed", message: "The platform answered that it could not respond.", retryable: false }) : jobSucceeded();
    await ctx.commit((tx, job) => finishResponse(tx, response.id, { body }, job(outcome)));
    return finished;
  },
};

async function mapSelections(db: Db, tenantId: string, storeId: string, selections: CreateResponseBody["selections"]) {
  if (!selections?.length) return undefined;
  const ids = selections.filter((s) => s.kind === "item").map((s) => s.id);
  const items = await db.knowledgeStoreItem.findMany({ where: { tenantId, knowledgeStoreId: storeId, id: { in: ids } }, select: { id: true, upstreamId: true } });
  const upstreamOf = new Map(items.map((item) => [item.id, item.upstreamId]));
  return selections.map((selection) => {
    if (selection.kind !== "item") {
      throw new StepFailure({ status: 400, code: "parameter_invalid", message: "Collection selections are not supported by this gateway yet." });
    }
    const upstreamId = upstreamOf.get(selection.id);
    if (!upstreamId) throw new StepFailure({ status: 400, code: "parameter_invalid", message: `Selection ${selection.id} is not an indexed item of this knowledge store.` });
    return { kind: "item" as const, id: upstreamId };
  });
}

/** The platform's answer in wire form, with its store, response and item ids replaced by Reelay's. */
async function toReelayResponse(db: Db, responseId: string, storeId: string, answer: TwelvelabsApi.ResponseObject): Promise<ResponseObject> {
  const wire = toWireCase(answer) as Record<string, unknown>;
  const upstreamItemIds = new Set<string>();
  for (const output of answer.output ?? []) for (const part of output.content ?? []) for (const a of part.annotations ?? []) if (a.itemId) upstreamItemIds.add(a.itemId);
  const items = upstreamItemIds.size
    ? await db.knowledgeStoreItem.findMany({ where: { knowledgeStoreId: storeId, upstreamId: { in: [...upstreamItemIds] } }, select: { id: true, upstreamId: true } })
    : [];
  const ourItemId = new Map(items.map((item) => [item.upstreamId, item.id]));
  const parsed = ResponseObject.parse({ ...wire, id: responseId, knowledge_store_id: storeId });
  for (const output of parsed.output) {
    for (const part of output.content ?? []) {
      for (const annotation of part.annotations) {
        if (annotation.item_id) annotation.item_id = ourItemId.get(annotation.item_id) ?? annotation.item_id;
      }
    }
  }
  return parsed;
}
