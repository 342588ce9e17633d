import type { Db } from "@reelay/db";
import { getWebhook } from "./get-webhook.ts";

/** Deletes the endpoint with its deliveries and their log; nothing more is sent to it. */
export async function deleteWebhook(db: Db, tenantId: string, endpointId: string): Promise<void> {
  const endpoint = await getWebhook(db, tenantId, endpointId);
  await db.webhookEndpoint.delete({ where: { id: endpoint.id } });
}
