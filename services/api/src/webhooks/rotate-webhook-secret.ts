import type { Db, WebhookEndpoint } from "@reelay/db";
import { getWebhook } from "./get-webhook.ts";
import { newWebhookSecret, ROTATION_OVERLAP_MS } from "./webhook-secret.ts";

/**
 * A new signing secret. The old one keeps signing alongside it (a second `v1,` signature in
 * `webhook-signature`) for 24 hours, so receivers can switch without dropping a delivery.
 */
export async function rotateWebhookSecret(db: Db, tenantId: string, endpointId: string, now = new Date()): Promise<WebhookEndpoint> {
  const endpoint = await getWebhook(db, tenantId, endpointId);
  return db.webhookEndpoint.update({
    where: { id: endpoint.id },
    data: { secret: newWebhookSecret(), previousSecret: endpoint.secret, previousSecretExpiresAt: new Date(now.getTime() + ROTATION_OVERLAP_MS) },
  });
}
