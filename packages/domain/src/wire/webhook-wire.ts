import type { WebhookDeliveryObject, WebhookEndpointObject } from "@reelay/contract";
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from "@reelay/db";

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** An endpoint as clients see it; the secret only where the caller passes `showSecret`. */
export function toWebhookEndpointWire(endpoint: WebhookEndpoint, showSecret = false): WebhookEndpointObject {
  return {
    _id: endpoint.id,
    object: "webhook_endpoint",
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    enabled: endpoint.enabled,
    disabled_at: iso(endpoint.disabledAt),
    disabled_reason: endpoint.disabledReason,
    ...(showSecret ? { secret: endpoint.secret } : {}),
    created_at: endpoint.createdAt.toISOString(),
    updated_at: endpoint.updatedAt.toISOString(),
  };
}

export function toWebhookDeliveryWire(delivery: WebhookDelivery & { attemptLog: WebhookAttempt[] }): WebhookDeliveryObject {
  return {
    _id: delivery.id,
    object: "webhook_delivery",
    endpoint_id: delivery.endpointId,
    event_id: delivery.eventId,
    event_type: delivery.eventType,
    resource_id: delivery.resourceId,
    sequence: delivery.sequence,
    status: delivery.status,
    attempts: delivery.attempts,
    next_attempt_at: delivery.status === "pending" ? delivery.nextAttemptAt.toISOString() : null,
    created_at: delivery.createdAt.toISOString(),
    attempt_log: delivery.attemptLog.map((attempt) => ({
      attempted_at: attempt.attemptedAt.toISOString(),
      status_code: attempt.statusCode,
      latency_ms: attempt.latencyMs,
      error: attempt.error,
      response: attempt.response,
      trigger: attempt.trigger === "manual" ? "manual" : "scheduled",
    })),
  };
}
