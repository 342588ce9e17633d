import { AppError } from "@reelay/contract";
import type { Db, Response } from "@reelay/db";
import { toResponseWire, waitForChange, type EventHub, type ResponseWire, type StoredResponseError } from "@reelay/domain";

/** What a waiting request has seen of its response: whether it ended, and the answer when its event carried it. */
interface Seen {
  ended: boolean;
  answer?: ResponseWire;
}

/**
 * Waits for the worker to finish the response (woken by its event, not by polling) and returns
 * the platform's response object, or the error it ended with. Gives up after `timeoutMs` with a
 * 504 that names the response: GET /responses/{id} returns the answer whenever it comes.
 *
 * Only the end wakes it (not response.in_progress), and the end's `response.completed` event
 * carries the answer as committed (toResponseWire of the row), so the answer is read from that
 * event: two one-line reads per question instead of model queries of the row, each of which costs
 * Prisma's query compiler about 2 ms of CPU. A failure, or an end seen another way (a re-read after
 * a reconnect, an answer committed before the first read), is read from the row.
 */
export async function waitForResponse(deps: { prisma: Db; hub: EventHub }, responseId: string, timeoutMs: number, signal?: AbortSignal): Promise<ResponseWire> {
  let completedEvent: string | undefined;
  const { value, done } = await waitForChange(
    deps.hub,
    responseId,
    () => readSeen(deps.prisma, responseId, completedEvent),
    (seen) => seen.ended,
    {
      timeoutMs,
      signal,
      wakeOn: (notice) => {
        if (notice.type === "response.completed") completedEvent = notice.id;
        return notice.type === "response.completed" || notice.type === "response.failed";
      },
    },
  );
  if (signal?.aborted) throw signal.reason;
  if (value.answer) return value.answer;
  if (!done) throw answerTimeoutError(responseId, timeoutMs);
  const row = await deps.prisma.response.findUniqueOrThrow({ where: { id: responseId } });
  // A body is the platform's answer, whatever its status says (a `failed` answer included).
  if (row.body) return toResponseWire(row);
  throw unansweredError(row);
}

async function readSeen(db: Db, responseId: string, completedEvent: string | undefined): Promise<Seen> {
  if (completedEvent) {
    const [event] = await db.$queryRaw<Array<{ data: ResponseWire }>>`SELECT "data" FROM "events" WHERE "id" = ${completedEvent}`;
    if (event) return { ended: true, answer: event.data };
  }
  const [row] = await db.$queryRaw<Array<{ ended: boolean }>>`
    SELECT ("body" IS NOT NULL OR "status" = 'failed') AS "ended" FROM "responses" WHERE "id" = ${responseId}`;
  if (!row) throw new Error(`response ${responseId} is gone`);
  return { ended: row.ended };
}

/** What a caller is answered when the response ended without an answer from the platform. */
export function unansweredError(row: Response): AppError {
  const error = (row.error ?? { status: 502, code: "upstream_error", message: "The platform could not answer." }) as unknown as StoredResponseError;
  const clientError = error.status >= 400 && error.status < 500 && error.status !== 429;
  return new AppError({
    code: clientError ? "response/rejected_upstream" : "response/upstream_failed",
    platformCode: error.code,
    status: clientError ? error.status : 502,
    message: error.message,
    retryable: !clientError,
  });
}

/** The answer is still coming: a 504 that names the response, which GET /responses/{id} returns once ready. */
export function answerTimeoutError(responseId: string, timeoutMs: number): AppError {
  return new AppError({
    code: "response/timeout",
    platformCode: "request_canceled_or_timed_out",
    status: 504,
    message: `The answer was not ready within ${Math.round(timeoutMs / 1000)} s; GET /v1.3/responses/${responseId} returns it once it is.`,
    retryable: true,
  });
}
