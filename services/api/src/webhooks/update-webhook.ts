import type { UpdateWebhookBody } from "@reelay/contract";
import type { WebhookEndpoint } from "@reelay/db";
import { checkWebhookUrl } from "./check-webhook-url.ts";
import { getWebhook } from "./get-webhook.ts";
import type { WebhookDeps } from "./webhook-deps.ts";

/** Changes url, events, description or enabled; re-enabling forgets the failure streak and pause. */
export async function updateWebhook(deps: WebhookDeps, tenantId: string, endpointId: string, body: UpdateWebhookBody): Promise<WebhookEndpoint> {
  const endpoint = await getWebhook(deps.prisma, tenantId, endpointId);
  if (body.url) await checkWebhookUrl(body.url, deps.privateTargets);
  const reenable = body.enabled === true && !endpoint.enabled;
  return deps.prisma.webhookEndpoint.update({
    where: { id: endpoint.id },
    data: {
      ...(body.url !== undefined ? { url: body.url } : {}),
      ...(body.events !== undefined ? { events: body.events } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.enabled === false && endpoint.enabled ? { enabled: false, disabledAt: new Date(), disabledReason: "Disabled through the API." } : {}),
      ...(reenable ? { enabled: true, disabledAt: null, disabledReason: null, failingSince: null, pausedUntil: null } : {}),
    },
  });
}
