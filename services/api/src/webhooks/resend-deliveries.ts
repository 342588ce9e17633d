import { AppError, notFound } from "@reelay/contract";
import type { WebhookAttempt, WebhookDelivery } from "@reelay/db";
import { boundedEnqueue, dispatchDeliveries } from "@reelay/jobs";
import { getWebhook } from "./get-webhook.ts";
import type { WebhookDeps } from "./webhook-deps.ts";

async function enabledEndpoint(deps: WebhookDeps, tenantId: string, endpointId: string) {
  const endpoint = await getWebhook(deps.prisma, tenantId, endpointId);
  if (!endpoint.enabled) {
    throw new AppError({ code: "webhook/disabled", platformCode: "parameter_invalid", status: 409, message: "The endpoint is disabled; enable it (PATCH enabled: true) before resending." });
  }
  return endpoint;
}

/** Sends deliveries again from a fresh retry schedule; the BullMQ round key keeps the dispatch new. */
async function resend(deps: WebhookDeps, endpointId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const key = `m${Date.now().toString(36)}`;
  await boundedEnqueue(() => dispatchDeliveries(deps.webhookQueue, endpointId, ids, { trigger: "manual", key }), (error) =>
    deps.log(`webhook ${endpointId}: resend deferred to the reconciler`, error),
  );
}

/** `POST /webhooks/{id}/deliveries/{delivery_id}/retry`: sends one delivery again, whatever its status. */
export async function retryDelivery(deps: WebhookDeps, tenantId: string, endpointId: string, deliveryId: string): Promise<WebhookDelivery & { attemptLog: WebhookAttempt[] }> {
  await enabledEndpoint(deps, tenantId, endpointId);
  const reset = await deps.prisma.webhookDelivery.updateMany({
    where: { id: deliveryId, endpointId, status: { not: "sending" } },
    data: { status: "pending", attempts: 0, nextAttemptAt: new Date(), leaseUntil: null },
  });
  const delivery = await deps.prisma.webhookDelivery.findFirst({ where: { id: deliveryId, endpointId }, include: { attemptLog: { orderBy: { attemptedAt: "asc" } } } });
  if (!delivery) throw notFound("webhook_delivery", deliveryId, "deliveries");
  if (reset.count === 0) {
    throw new AppError({ code: "webhook/delivery_in_flight", platformCode: "parameter_invalid", status: 409, message: "The delivery is being sent right now; look at it again in a moment." });
  }
  await resend(deps, endpointId, [deliveryId]);
  return delivery;
}

/** `POST /webhooks/{id}/recover {since}`: resends every delivery that failed for good since then. */
export async function recoverDeliveries(deps: WebhookDeps, tenantId: string, endpointId: string, since: Date): Promise<{ recovered: number }> {
  await enabledEndpoint(deps, tenantId, endpointId);
  const ids = await deps.prisma.$transaction(async (tx) => {
    const failed = await tx.webhookDelivery.findMany({ where: { endpointId, status: "failed", createdAt: { gte: since } }, select: { id: true }, orderBy: { createdAt: "asc" } });
    const found = failed.map((row) => row.id);
    await tx.webhookDelivery.updateMany({ where: { id: { in: found }, status: "failed" }, data: { status: "pending", attempts: 0, nextAttemptAt: new Date(), leaseUntil: null } });
    return found;
  });
  await resend(deps, endpointId, ids);
  return { recovered: ids.length };
}
