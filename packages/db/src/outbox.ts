import type { Prisma } from "@prisma/client";
import { newId } from "@reelay/contract";
import type { Db } from "./index.ts";

/**
 * Records an event in the transactional outbox. Call it in the same transaction as the state
 * change it describes, so there is never a change without its event (webhooks read from here).
 */
export async function recordEvent(
  db: Db,
  event: { tenantId: string; type: string; resourceType: string; resourceId: string; data: Prisma.InputJsonValue },
): Promise<void> {
  await db.event.create({ data: { id: newId("event"), ...event } });
}
