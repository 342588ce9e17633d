import { notFound } from "@reelay/contract";
import type { Db, WebhookEndpoint } from "@reelay/db";

export async function getWebhook(db: Db, tenantId: string, endpointId: string): Promise<WebhookEndpoint> {
  const endpoint = await db.webhookEndpoint.findFirst({ where: { id: endpointId, tenantId } });
  if (!endpoint) throw notFound("webhook_endpoint", endpointId, "webhooks");
  return endpoint;
}
