import { AppError, newId, type CreateWebhookBody } from "@reelay/contract";
import type { WebhookEndpoint } from "@reelay/db";
import { checkWebhookUrl } from "./check-webhook-url.ts";
import type { WebhookDeps } from "./webhook-deps.ts";
import { newWebhookSecret } from "./webhook-secret.ts";

/** Endpoints per tenant, as Stripe allows. */
export const MAX_ENDPOINTS = 16;

export async function createWebhook(deps: WebhookDeps, tenantId: string, body: CreateWebhookBody): Promise<WebhookEndpoint> {
  await checkWebhookUrl(body.url, deps.privateTargets);
  return deps.prisma.$transaction(async (tx) => {
    if ((await tx.webhookEndpoint.count({ where: { tenantId } })) >= MAX_ENDPOINTS) {
      throw new AppError({ code: "webhook/too_many", platformCode: "parameter_invalid", status: 409, message: `A tenant may have at most ${MAX_ENDPOINTS} webhook endpoints; delete one first.` });
    }
    return tx.webhookEndpoint.create({
      data: { id: newId("webhookEndpoint"), tenantId, url: body.url, description: body.description ?? null, events: body.events ?? [], secret: newWebhookSecret() },
    });
  });
}
