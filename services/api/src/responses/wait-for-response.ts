import { AppError } from "@reelay/contract";
import type { Db, Response } from "@reelay/db";
import { toResponseWire, waitForChange, type EventHub, type ResponseWire, type StoredResponseError } from "@reelay/domain";

/**
 * Waits for the worker to finish the response (woken by its event, not by polling) and returns
 * the platform's response object, or the error it ended with. Gives up after `timeoutMs` with a
 * 504 that names the response: GET /responses/{id} returns the answer whenever it comes.
 */
export async function waitForResponse(deps: { prisma: Db; hub: EventHub }, responseId: string, timeoutMs: number, signal?: AbortSignal): Promise<ResponseWire> {
  const { value: row, done } = await waitForChange(
    deps.hub,
    responseId,
    () => deps.prisma.response.findUniqueOrThrow({ where: { id: responseId } }),
    (response) => response.body !== null || response.status === "failed",
    { timeoutMs, signal },
  );
  if (signal?.aborted) throw signal.reason;
  // A body is the platform's answer, whatever its status says (a `failed` answer included).
  if (row.body) return toResponseWire(row);
  if (done) throw unansweredError(row);
  throw answerTimeoutError(responseId, timeoutMs);
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
