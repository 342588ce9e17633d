import type { Redis } from "ioredis";
import { appendResponseEvent, boundedEnqueue, type ResponseEventEntry } from "@reelay/jobs";

/** How long one append may take before the relay is given up on (Redis away). */
const APPEND_TIMEOUT_MS = 2_000;

export interface ResponseEventPublisher {
  /**
   * Appends one entry to the response's event stream (packages/jobs response-events.ts); false
   * when Redis did not take it in time. The answer never depends on it: it is stored in Postgres,
   * where the API reads the final response.
   */
  append(responseId: string, entry: ResponseEventEntry): Promise<boolean>;
}

export function createResponseEventPublisher(redis: Redis, prefix: string, log: (message: string, error?: unknown) => void): ResponseEventPublisher {
  return {
    append: (responseId, entry) =>
      boundedEnqueue(() => appendResponseEvent(redis, prefix, responseId, entry), (error) => log(`response ${responseId}: a stream event could not be relayed`, error), APPEND_TIMEOUT_MS),
  };
}
