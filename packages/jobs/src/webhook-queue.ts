import { Queue, type ConnectionOptions } from "bullmq";
import { z } from "zod";

/** Webhook deliveries have their own queue (and worker), so slow receivers never hold job slots. */
export const WEBHOOK_QUEUE_NAME = "reelay-webhooks";

/** Most deliveries one batch job carries (all for one endpoint). */
export const DELIVERY_BATCH_SIZE = 100;

/**
 * A batch of deliveries to one endpoint. The job carries ids only; the deliveries' rows decide
 * what is due. It re-schedules itself (a delayed step) until none of its deliveries is pending.
 */
export const DeliveryBatch = z.object({
  endpointId: z.string(),
  deliveryIds: z.array(z.string()).min(1).max(DELIVERY_BATCH_SIZE),
  /** "manual" for retries and recoveries asked through the API (shown in the attempt log). */
  trigger: z.enum(["scheduled", "manual"]).default("scheduled"),
});
export type DeliveryBatch = z.input<typeof DeliveryBatch>;

export function createWebhookQueue(connection: ConnectionOptions, prefix = "reelay", onError: (error: Error) => void = () => {}): Queue {
  const queue = new Queue(WEBHOOK_QUEUE_NAME, { connection, prefix });
  queue.on("error", onError);
  return queue;
}

/**
 * Adds batch jobs for these deliveries (split into batches of DELIVERY_BATCH_SIZE). `key` makes the
 * BullMQ ids unique per dispatch round (the relay passes nothing: a batch's first delivery id is
 * unique; a manual retry or the reconciler pass a round key, so an earlier batch job still kept
 * in Redis under the same id does not swallow the new one).
 */
export async function dispatchDeliveries(queue: Queue, endpointId: string, deliveryIds: string[], options: { trigger?: "scheduled" | "manual"; key?: string } = {}): Promise<void> {
  const jobs = [];
  for (let start = 0; start < deliveryIds.length; start += DELIVERY_BATCH_SIZE) {
    const ids = deliveryIds.slice(start, start + DELIVERY_BATCH_SIZE);
    const data: DeliveryBatch = { endpointId, deliveryIds: ids, trigger: options.trigger ?? "scheduled" };
    jobs.push({
      name: "webhook.deliver",
      data,
      opts: {
        jobId: `deliver.${ids[0]}${options.key ? `.${options.key}` : ""}`,
        // Failures are recorded per delivery in Postgres; a thrown error is our own fault, retried a few times.
        attempts: 5,
        backoff: { type: "exponential", delay: 1_000 },
        removeOnComplete: { age: 600, count: 10_000 },
        removeOnFail: { age: 24 * 3600 },
      },
    });
  }
  if (jobs.length) await queue.addBulk(jobs);
}
