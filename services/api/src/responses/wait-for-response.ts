import { setTimeout as delay } from "node:timers/promises";
import { AppError, type ResponseObject } from "@reelay/contract";
import type { Db } from "@reelay/db";

export interface StoredError {
  status: number;
  code: string;
  message: string;
}

const POLL_MS = 100;

/**
 * Waits for the worker to finish the response and returns the platform's response object, or
 * the error it ended with. Gives up after `timeoutMs` with a 504 rather than hanging.
 */
export async function waitForResponse(db: Db, responseId: string, timeoutMs: number, signal?: AbortSignal): Promise<ResponseObject> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await db.response.findUniqueOrThrow({ where: { id: responseId }, select: { status: true, body: true, error: true } });
    // A body is the platform's answer, whatever its status says (a `failed` answer included).
    if (row.body) return row.body as ResponseObject;
    if (row.status === "failed") {
      const error = (row.error ?? { status: 502, code: "upstream_error", message: "The platform could not answer." }) as unknown as StoredError;
      const clientError = error.status >= 400 && error.status < 500 && error.status !== 429;
      throw new AppError({
        code: clientError ? "response/rejected_upstream" : "response/upstream_failed",
        platformCode: error.code,
        status: clientError ? error.status : 502,
        message: error.message,
        retryable: !clientError,
      });
    }
    if (Date.now() >= deadline) {
      throw new AppError({
        code: "response/timeout",
        platformCode: "request_canceled_or_timed_out",
        status: 504,
        message: `The answer was not ready within ${Math.round(timeoutMs / 1000)} s; response ${responseId} is still being prepared.`,
        retryable: true,
      });
    }
    if (signal?.aborted) throw signal.reason;
    await delay(POLL_MS);
  }
}
