import { z } from "zod";
import { listOf, PageQuery } from "../common-wire.ts";
import { JobGetQuery, JobListQuery, JobObject } from "../jobs-wire.ts";
import { CreateResponseBody, GatewayResponse } from "../responses-wire.ts";
import {
  CreateWebhookBody,
  DeliveryListQuery,
  RecoverBody,
  UpdateWebhookBody,
  WebhookDeliveryObject,
  WebhookEndpointObject,
} from "../webhooks-wire.ts";
import { defineRoute } from "./route.ts";

const response = { tag: "Responses", resource: "response" } as const;
const job = { tag: "Jobs (Reelay)", origin: "reelay", resource: "job" } as const;
const webhook = { tag: "Webhooks (Reelay)", origin: "reelay", resource: "webhook" } as const;

export const ResponseParams = z.object({ response_id: z.string().min(1) });
export const JobParams = z.object({ job_id: z.string().min(1) });
export const WebhookParams = z.object({ webhook_id: z.string().min(1) });
export const DeliveryParams = WebhookParams.extend({ delivery_id: z.string().min(1) });

export const responseRoutes = [
  defineRoute({
    ...response,
    origin: "platform",
    id: "responses.create",
    method: "post",
    path: "/responses",
    summary: "Ask about a knowledge store; `stream: true` answers Server-Sent Events, Reelay's `background: true` answers 202 at once",
    body: CreateResponseBody,
    success: { status: 200, description: "The answer", schema: GatewayResponse },
    alternatives: [
      { status: 200, description: "With `stream: true`, the answer as Server-Sent Events", contentType: "text/event-stream" },
      { status: 202, description: "With `background: true`, the response `queued`", schema: GatewayResponse },
    ],
    errors: [404, 504],
  }),
  defineRoute({ ...response, origin: "reelay", id: "responses.retrieve", method: "get", path: "/responses/{response_id}", summary: "Any response, answered or not (Reelay's addition)", params: ResponseParams, success: { status: 200, description: "The response", schema: GatewayResponse }, errors: [404] }),
];

export const jobRoutes = [
  defineRoute({ ...job, id: "jobs.list", method: "get", path: "/jobs", summary: "List jobs, newest first", query: JobListQuery, success: { status: 200, description: "A page of jobs", schema: listOf(JobObject) }, errors: [] }),
  defineRoute({ ...job, id: "jobs.retrieve", method: "get", path: "/jobs/{job_id}", summary: "A job; `?wait=N` answers as soon as it changes (long-poll)", params: JobParams, query: JobGetQuery, success: { status: 200, description: "The job", schema: JobObject }, errors: [404] }),
  defineRoute({ ...job, id: "jobs.events", method: "get", path: "/jobs/{job_id}/events", summary: "The job's events as Server-Sent Events, resumable with Last-Event-ID", params: JobParams, success: { status: 200, description: "The job's events as Server-Sent Events", contentType: "text/event-stream" }, alternatives: [{ status: 204, description: "The job has ended and every event was sent" }], errors: [404] }),
  defineRoute({ ...job, id: "jobs.cancel", method: "post", path: "/jobs/{job_id}/cancel", summary: "Cancel an unfinished job; its resource ends failed (cancelled)", params: JobParams, success: { status: 200, description: "The job", schema: JobObject }, errors: [404, 409] }),
];

export const webhookRoutes = [
  defineRoute({ ...webhook, id: "webhooks.create", method: "post", path: "/webhooks", summary: "Register a receiver; the answer holds its signing secret", body: CreateWebhookBody, success: { status: 201, description: "The endpoint, with its secret", schema: WebhookEndpointObject }, errors: [409] }),
  defineRoute({ ...webhook, id: "webhooks.list", method: "get", path: "/webhooks", summary: "List endpoints", query: PageQuery, success: { status: 200, description: "A page of endpoints", schema: listOf(WebhookEndpointObject) }, errors: [] }),
  defineRoute({ ...webhook, id: "webhooks.retrieve", method: "get", path: "/webhooks/{webhook_id}", summary: "Retrieve an endpoint", params: WebhookParams, success: { status: 200, description: "The endpoint", schema: WebhookEndpointObject }, errors: [404] }),
  defineRoute({ ...webhook, id: "webhooks.update", method: "patch", path: "/webhooks/{webhook_id}", summary: "Change url, events, description or enabled", params: WebhookParams, body: UpdateWebhookBody, success: { status: 200, description: "The endpoint", schema: WebhookEndpointObject }, errors: [404] }),
  defineRoute({ ...webhook, id: "webhooks.delete", method: "delete", path: "/webhooks/{webhook_id}", summary: "Delete an endpoint", params: WebhookParams, success: { status: 204, description: "Deleted" }, errors: [404] }),
  defineRoute({ ...webhook, id: "webhooks.rotate_secret", method: "post", path: "/webhooks/{webhook_id}/rotate-secret", summary: "A new secret; the old one keeps signing for 24 h", params: WebhookParams, success: { status: 200, description: "The endpoint, with its new secret", schema: WebhookEndpointObject }, errors: [404] }),
  defineRoute({ ...webhook, id: "webhooks.test", method: "post", path: "/webhooks/{webhook_id}/test", summary: "Send a webhook_endpoint.test event to this endpoint", params: WebhookParams, success: { status: 202, description: "The test event", schema: z.object({ event_id: z.string(), type: z.literal("webhook_endpoint.test") }) }, errors: [404, 409] }),
  defineRoute({ ...webhook, id: "webhooks.deliveries", method: "get", path: "/webhooks/{webhook_id}/deliveries", summary: "Deliveries with every attempt: time, status, latency, error, the answer's start", params: WebhookParams, query: DeliveryListQuery, success: { status: 200, description: "A page of deliveries", schema: listOf(WebhookDeliveryObject) }, errors: [404] }),
  defineRoute({ ...webhook, id: "webhooks.deliveries.retry", method: "post", path: "/webhooks/{webhook_id}/deliveries/{delivery_id}/retry", summary: "Send one delivery again", params: DeliveryParams, success: { status: 202, description: "The delivery", schema: WebhookDeliveryObject }, errors: [404, 409] }),
  defineRoute({ ...webhook, id: "webhooks.recover", method: "post", path: "/webhooks/{webhook_id}/recover", summary: "Resend everything that failed since a time", params: WebhookParams, body: RecoverBody, success: { status: 202, description: "How many were resent", schema: z.object({ recovered: z.number().int() }) }, errors: [404, 409] }),
];
