import type { Db, WebhookEndpoint } from "@reelay/db";
import { appendEvent } from "./outbox.ts";
import { conditionally } from "./stale-state.ts";

function endpointEventData(endpoint: WebhookEndpoint) {
  return { _id: endpoint.id, url: endpoint.url, enabled: endpoint.enabled, disabled_reason: endpoint.disabledReason };
}

/**
 * Disables an enabled endpoint and records `webhook_endpoint.disabled` (delivered to the tenant's
 * other endpoints). Refused (StaleStateError) when it is already disabled.
 */
export async function disableWebhookEndpoint(tx: Db, endpointId: string, reason: string, now = new Date()): Promise<WebhookEndpoint> {
  const endpoint = await conditionally("webhook_endpoint", endpointId, () =>
    tx.webhookEndpoint.update({
      where: { id: endpointId, enabled: true },
      data: { enabled: false, disabledAt: now, disabledReason: reason, version: { increment: 1 } },
    }),
  );
  await appendEvent(tx, { type: "webhook_endpoint.disabled", tenantId: endpoint.tenantId, resourceId: endpoint.id, sequence: endpoint.version, data: endpointEventData(endpoint) });
  return endpoint;
}

/** Records a `webhook_endpoint.test` event, delivered to that endpoint only. */
export async function recordTestEvent(tx: Db, endpointId: string): Promise<{ endpoint: WebhookEndpoint; eventId: string }> {
  const endpoint = await tx.webhookEndpoint.update({ where: { id: endpointId }, data: { version: { increment: 1 } } });
  const eventId = await appendEvent(tx, { type: "webhook_endpoint.test", tenantId: endpoint.tenantId, resourceId: endpoint.id, sequence: endpoint.version, data: endpointEventData(endpoint) });
  return { endpoint, eventId };
}
