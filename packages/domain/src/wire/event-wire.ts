import type { EventEnvelope } from "@reelay/contract";
import type { Event } from "@reelay/db";

/** An outbox row as webhook receivers and SSE clients see it: `{id, type, timestamp, sequence, data}`. */
export function toEventEnvelope(event: Pick<Event, "id" | "type" | "createdAt" | "sequence" | "data">): EventEnvelope {
  return { id: event.id, type: event.type, timestamp: event.createdAt.toISOString(), sequence: event.sequence, data: event.data as Record<string, unknown> };
}
