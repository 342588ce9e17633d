import { Router } from "express";
import { z } from "zod";
import { CreateWebhookBody, DeliveryListQuery, PageQuery, pageInfo, RecoverBody, UpdateWebhookBody } from "@reelay/contract";
import { toWebhookDeliveryWire, toWebhookEndpointWire } from "@reelay/domain";
import { tenantOf } from "../http/auth.ts";
import { parse } from "../http/validate.ts";
import { createWebhook } from "./create-webhook.ts";
import { deleteWebhook } from "./delete-webhook.ts";
import { getWebhook } from "./get-webhook.ts";
import { listDeliveries } from "./list-deliveries.ts";
import { listWebhooks } from "./list-webhooks.ts";
import { recoverDeliveries, retryDelivery } from "./resend-deliveries.ts";
import { rotateWebhookSecret } from "./rotate-webhook-secret.ts";
import { sendTestEvent } from "./send-test-event.ts";
import { updateWebhook } from "./update-webhook.ts";
import type { WebhookDeps } from "./webhook-deps.ts";

export const WebhookParams = z.object({ webhook_id: z.string() });
export const DeliveryParams = WebhookParams.extend({ delivery_id: z.string() });

export function webhookRoutes(deps: WebhookDeps): Router {
  const router = Router();

  router.post("/webhooks", async (req, res) => {
    const body = parse(CreateWebhookBody, req.body, "webhook");
    res.status(201).json(toWebhookEndpointWire(await createWebhook(deps, tenantOf(res), body), true));
  });

  router.get("/webhooks", async (req, res) => {
    const query = parse(PageQuery, req.query, "webhook");
    const { rows, total } = await listWebhooks(deps.prisma, tenantOf(res), query);
    res.json({ data: rows.map((row) => toWebhookEndpointWire(row)), page_info: pageInfo(query, total) });
  });

  router.get("/webhooks/:webhook_id", async (req, res) => {
    const { webhook_id } = parse(WebhookParams, req.params, "webhook");
    res.json(toWebhookEndpointWire(await getWebhook(deps.prisma, tenantOf(res), webhook_id)));
  });

  router.patch("/webhooks/:webhook_id", async (req, res) => {
    const { webhook_id } = parse(WebhookParams, req.params, "webhook");
    const body = parse(UpdateWebhookBody, req.body, "webhook");
    res.json(toWebhookEndpointWire(await updateWebhook(deps, tenantOf(res), webhook_id, body)));
  });

  router.delete("/webhooks/:webhook_id", async (req, res) => {
    const { webhook_id } = parse(WebhookParams, req.params, "webhook");
    await deleteWebhook(deps.prisma, tenantOf(res), webhook_id);
    res.status(204).end();
  });

  router.post("/webhooks/:webhook_id/rotate-secret", async (req, res) => {
    const { webhook_id } = parse(WebhookParams, req.params, "webhook");
    res.json(toWebhookEndpointWire(await rotateWebhookSecret(deps.prisma, tenantOf(res), webhook_id), true));
  });

  router.post("/webhooks/:webhook_id/test", async (req, res) => {
    const { webhook_id } = parse(WebhookParams, req.params, "webhook");
    const { eventId } = await sendTestEvent(deps.prisma, tenantOf(res), webhook_id);
    res.status(202).json({ event_id: eventId, type: "webhook_endpoint.test" });
  });

  router.get("/webhooks/:webhook_id/deliveries", async (req, res) => {
    const { webhook_id } = parse(WebhookParams, req.params, "webhook");
    const query = parse(DeliveryListQuery, req.query, "webhook");
    const { rows, total } = await listDeliveries(deps.prisma, tenantOf(res), webhook_id, query);
    res.json({ data: rows.map(toWebhookDeliveryWire), page_info: pageInfo(query, total) });
  });

  router.post("/webhooks/:webhook_id/deliveries/:delivery_id/retry", async (req, res) => {
    const { webhook_id, delivery_id } = parse(DeliveryParams, req.params, "webhook");
    res.status(202).json(toWebhookDeliveryWire(await retryDelivery(deps, tenantOf(res), webhook_id, delivery_id)));
  });

  router.post("/webhooks/:webhook_id/recover", async (req, res) => {
    const { webhook_id } = parse(WebhookParams, req.params, "webhook");
    const { since } = parse(RecoverBody, req.body, "webhook");
    res.status(202).json(await recoverDeliveries(deps, tenantOf(res), webhook_id, new Date(since)));
  });

  return router;
}
