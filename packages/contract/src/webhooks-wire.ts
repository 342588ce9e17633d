/** Reelay's webhook endpoints and deliveries (`/v1.3/webhooks`): the platform sends none. */
import { z } from "zod";
import { webhookEventTypes } from "./events.ts";
import { PageQuery, repeatedQuery } from "./common-wire.ts";

const EventTypeFilter = z.array(z.enum(webhookEventTypes as [string, ...string[]])).max(64);

export const WebhookUrl = z
  .string()
  .max(2048)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), "must be an http or https URL");

export const CreateWebhookBody = z.object({
  url: WebhookUrl,
  /** Event types to receive; omitted or empty means every deliverable type. */
  events: EventTypeFilter.optional(),
  description: z.string().max(1024).optional(),
});
export type CreateWebhookBody = z.infer<typeof CreateWebhookBody>;

export const UpdateWebhookBody = z
  .object({
    url: WebhookUrl.optional(),
    events: EventTypeFilter.optional(),
    description: z.string().max(1024).nullable().optional(),
    /** `true` re-enables a disabled endpoint (and forgets its failure streak). */
    enabled: z.boolean().optional(),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), { message: "name at least one of url, events, description, enabled" });
export type UpdateWebhookBody = z.infer<typeof UpdateWebhookBody>;

export const WebhookEndpointObject = z.object({
  _id: z.string(),
  object: z.literal("webhook_endpoint"),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  disabled_at: z.string().nullable(),
  disabled_reason: z.string().nullable(),
  /** The signing secret: present only in the answers to create and rotate-secret. */
  secret: z.string().optional(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type WebhookEndpointObject = z.infer<typeof WebhookEndpointObject>;

export const DeliveryStatus = z.enum(["pending", "sending", "succeeded", "failed"]);

export const WebhookAttemptObject = z.object({
  attempted_at: z.string(),
  status_code: z.number().int().nullable(),
  latency_ms: z.number().int(),
  error: z.string().nullable(),
  response: z.string().nullable(),
  trigger: z.enum(["scheduled", "manual"]),
});

export const WebhookDeliveryObject = z.object({
  _id: z.string(),
  object: z.literal("webhook_delivery"),
  endpoint_id: z.string(),
  event_id: z.string(),
  event_type: z.string(),
  resource_id: z.string(),
  sequence: z.number().int(),
  status: DeliveryStatus,
  attempts: z.number().int(),
  next_attempt_at: z.string().nullable(),
  created_at: z.string(),
  attempt_log: z.array(WebhookAttemptObject),
});
export type WebhookDeliveryObject = z.infer<typeof WebhookDeliveryObject>;

export const DeliveryListQuery = PageQuery.extend({ status: repeatedQuery(DeliveryStatus) });

export const RecoverBody = z.object({
  /** Resend every delivery that failed at or after this time (RFC 3339). */
  since: z.iso.datetime({ offset: true }),
});
