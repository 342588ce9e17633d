import { eventCatalog, newId, type EventData, type EventType } from "@reelay/contract";
import type { Db } from "@reelay/db";

/** The channel every event is announced on, at commit. */
export const EVENTS_CHANNEL = "reelay_events";

/**
 * Appends an event to the outbox and announces it. Internal to the transition functions: they
 * call it in the transaction that makes the change, with the resource's new version as
 * `sequence`. `created_at` is the clock at insert (not the transaction's start), taken after the
 * resource's row lock, so one resource's events sort the same by time as by sequence. The NOTIFY travels in the same statement and Postgres sends it only if the
 * transaction commits; it carries ids only (readers load the rows).
 */
export async function appendEvent<T extends EventType>(
  tx: Db,
  event: { type: T; tenantId: string; resourceId: string; sequence: number; jobId?: string | null; data: EventData<T> },
): Promise<string> {
  const id = newId("event");
  const jobId = event.jobId ?? null;
  await tx.$executeRaw`
    WITH inserted AS (
      INSERT INTO "events" ("id", "tenant_id", "type", "resource_type", "resource_id", "sequence", "job_id", "data", "created_at")
      VALUES (${id}, ${event.tenantId}, ${event.type}, ${eventCatalog[event.type].resource}, ${event.resourceId}, ${event.sequence}, ${jobId},
              ${JSON.stringify(event.data)}::jsonb, (clock_timestamp() AT TIME ZONE 'UTC'))
      RETURNING "id"
    )
    SELECT pg_notify(${EVENTS_CHANNEL}, json_build_object(
      'id', ${id}::text, 'type', ${event.type}::text, 'tenant_id', ${event.tenantId}::text,
      'resource_id', ${event.resourceId}::text, 'sequence', ${event.sequence}::int, 'job_id', ${jobId}::text)::text)
    FROM inserted`;
  return id;
}
