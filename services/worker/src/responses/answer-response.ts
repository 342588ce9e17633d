import { randomUUID } from "node:crypto";
import { GatewayResponse, type CreateResponseBody } from "@reelay/contract";
import type { Db } from "@reelay/db";
import { finishResponse, jobFailed, jobSucceeded, startResponse } from "@reelay/domain";
import { upstreamCollectionIds } from "../collections/collection-selections.ts";
import { awaitDependency, finished, StepFailure, type StepHandler } from "../steps/step.ts";
import { mapAnswer } from "./map-answer.ts";
import { createIdResolver, type AnswerScope } from "./reelay-ids.ts";
import type { ResponseEventPublisher } from "./response-event-publisher.ts";
import { streamAnswer } from "./stream-answer.ts";

/**
 * Asks the platform once the store exists upstream. The answer is stored exactly as it came
 * before anything else is done with it, so a failure of ours afterwards (mapping, the database)
 * never asks (and pays for) the question again: a re-run maps the stored answer. The answer the
 * caller sees has the platform's ids mapped back to Reelay's.
 *
 * A request with `stream: true` is asked with `stream: true`: each event is relayed, mapped, as it
 * arrives (stream-answer.ts), and the terminal event's response is stored and finished exactly like
 * an answer asked at once. The stream's `end` entry goes out before the commit, so the API, told the
 * answer is final, reads it from the row the moment it commits (Postgres is the truth for the end).
 * A run that breaks off mid-stream (the worker died, the connection broke) leaves no stored answer:
 * its retry asks again, in a new run; once the answer is stored it is never asked for again.
 */
export function createAnswerResponse(deps: { events: ResponseEventPublisher }): StepHandler<"response.create"> {
  return {
    type: "response.create",
    // startResponse is the first write, before the platform is asked: the job starts with it.
    startsInFirstCommit: true,

    async run(ctx, { responseId }) {
      const response = await loadQuestion(ctx.prisma, responseId);
      if (!response || (response.status !== "queued" && response.status !== "in_progress")) return finished;
      const store = response.store;
      const request = response.request;
      const scope: AnswerScope = { tenantId: response.tenantId, responseId: response.id, storeId: store.id, upstreamStoreId: store.upstreamId };
      const run = randomUUID();

      let raw = response.rawAnswer as Record<string, unknown> | null;
      let terminalSequence: number | undefined;
      if (!raw) {
        if (store.syncStatus === "failed") {
          throw new StepFailure({ status: 502, code: "knowledge_store_failed", message: `The knowledge store could not be created on the platform: ${store.errorMessage ?? "unknown reason"}.` });
        }
        // The store's knowledge_store.synced event wakes this job; the backoff is only the safety net.
        if (!store.upstreamId) return awaitDependency("await_knowledge_store");
        if (response.status === "queued") await ctx.commit((tx, job) => startResponse(tx, response.id, job({ stage: "ask" })));

        const upstream = await upstreamRequest(ctx.prisma, response.tenantId, store.id, store.upstreamId, request);
        if (request.stream) {
          const streamed = await streamAnswer(ctx, deps.events, scope, upstream, run);
          raw = streamed.raw;
          terminalSequence = streamed.sequence;
        } else {
          raw = await ctx.platform.createResponse(upstream);
        }
        await storeRawAnswer(ctx.prisma, response.id, raw);
      }

      // Mapping reads (and records a new session) in the transaction that writes the answer: one
      // commit. If it fails, nothing of it is kept, and the retry maps the stored answer again.
      const answer = raw;
      await ctx.commit(async (tx, job) => {
        const body = await toReelayAnswer(tx, scope, answer);
        if (request.stream) await deps.events.append(response.id, { kind: "end", run, sequence: terminalSequence });
        const outcome = body.status === "failed" ? jobFailed({ code: "response_failed", message: "The platform answered that it could not respond.", retryable: false }) : jobSucceeded();
        return finishResponse(tx, response.id, { body }, job(outcome));
      });
      return finished;
    },
  };
}

/** What a run needs of its response and the store it asks. */
interface Question {
  id: string;
  tenantId: string;
  status: string;
  request: CreateResponseBody;
  rawAnswer: Record<string, unknown> | null;
  store: { id: string; upstreamId: string | null; syncStatus: string; errorMessage: string | null };
}

/**
 * The response and its store in one statement: every model query pays for Prisma's query compiler
 * (about 2 ms of CPU here), and `include` is two of them, on the path of every synchronous answer.
 */
async function loadQuestion(db: Db, responseId: string): Promise<Question | undefined> {
  const [row] = await db.$queryRaw<Array<Omit<Question, "store"> & { storeId: string; upstreamStoreId: string | null; storeSyncStatus: string; storeErrorMessage: string | null }>>`
    SELECT r."id", r."tenant_id" AS "tenantId", r."status"::text AS "status", r."request", r."raw_answer" AS "rawAnswer",
      s."id" AS "storeId", s."upstream_id" AS "upstreamStoreId", s."sync_status"::text AS "storeSyncStatus", s."error_message" AS "storeErrorMessage"
    FROM "responses" r JOIN "knowledge_stores" s ON s."id" = r."knowledge_store_id"
    WHERE r."id" = ${responseId}`;
  if (!row) return undefined;
  const { storeId, upstreamStoreId, storeSyncStatus, storeErrorMessage, ...response } = row;
  return { ...response, store: { id: storeId, upstreamId: upstreamStoreId, syncStatus: storeSyncStatus, errorMessage: storeErrorMessage } };
}

/** Keeps the platform's answer exactly as it came, on its own, before anything else is done with it. */
async function storeRawAnswer(db: Db, responseId: string, raw: Record<string, unknown>): Promise<void> {
  await db.$executeRaw`
    UPDATE "responses" SET "raw_answer" = ${JSON.stringify(raw)}::jsonb, "updated_at" = (clock_timestamp() AT TIME ZONE 'UTC')
    WHERE "id" = ${responseId}`;
}

/** The stored request in the platform's wire form, with Reelay's ids swapped for the platform's. */
async function upstreamRequest(db: Db, tenantId: string, storeId: string, upstreamStoreId: string, request: CreateResponseBody): Promise<Record<string, unknown>> {
  const { knowledge_store_id: _ours, session_id: sessionId, selections, model: _model, stream: _stream, background: _background, ...rest } = request;
  const session = sessionId ? await db.responseSession.findFirst({ where: { id: sessionId, tenantId, knowledgeStoreId: storeId } }) : undefined;
  if (sessionId && !session) throw new StepFailure({ status: 404, code: "resource_not_exist", message: `Session ${sessionId} does not exist for this knowledge store.` });
  return {
    ...rest,
    knowledge_store_id: upstreamStoreId,
    ...(session ? { session_id: session.upstreamId } : {}),
    ...(selections?.length ? { selections: await upstreamSelections(db, tenantId, storeId, selections) } : {}),
  };
}

async function upstreamSelections(db: Db, tenantId: string, storeId: string, selections: NonNullable<CreateResponseBody["selections"]>) {
  const ids = selections.filter((s) => s.kind === "item").map((s) => s.id);
  const items = await db.knowledgeStoreItem.findMany({ where: { tenantId, knowledgeStoreId: storeId, id: { in: ids }, deletedAt: null }, select: { id: true, upstreamId: true } });
  const upstreamOf = new Map(items.map((item) => [item.id, item.upstreamId]));
  // A collection is selected by the platform's collection id once its copy is synced (waits until then).
  const collections = await upstreamCollectionIds(db, tenantId, storeId, selections.filter((s) => s.kind === "collection").map((s) => s.id));
  return selections.map((selection) => {
    if (selection.kind === "collection") return { kind: "collection" as const, id: collections.get(selection.id)! };
    const upstreamId = upstreamOf.get(selection.id);
    if (!upstreamId) throw new StepFailure({ status: 400, code: "parameter_invalid", message: `Selection ${selection.id} is not an indexed item of this knowledge store.` });
    return { kind: "item" as const, id: upstreamId };
  });
}

/** The platform's answer with its ids mapped to Reelay's (sessions are recorded on first sight). */
async function toReelayAnswer(db: Db, at: AnswerScope, raw: Record<string, unknown>): Promise<GatewayResponse> {
  const mapped = GatewayResponse.safeParse(mapAnswer(raw, await createIdResolver(db, at).learn(raw)));
  // Our failure, not the platform's: retried on the stored answer, never asked again.
  if (!mapped.success) throw new Error(`the platform's answer could not be read: ${mapped.error.issues[0]?.message ?? "invalid"}`);
  return mapped.data;
}
