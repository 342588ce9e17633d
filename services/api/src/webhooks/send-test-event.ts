import { AppError } from "@reelay/contract";
import type { PrismaClient } from "@reelay/db";
import { recordTestEvent } from "@reelay/domain";
import { getWebhook } from "./get-webhook.ts";

/** Records a `webhook_endpoint.test` event; the relay delivers it to this endpoint only. */
export async function sendTestEvent(prisma: PrismaClient, tenantId: string, endpointId: string): Promise<{ eventId: string }> {
  const endpoint = await getWebhook(prisma, tenantId, endpointId);
  if (!endpoint.enabled) {
    throw new AppError({ code: "webhook/disabled", platformCode: "parameter_invalid", status: 409, message: "The endpoint is disabled; enable it before sending a test event." });
  }
  const { eventId } = await prisma.$transaction((tx) => recordTestEvent(tx, endpoint.id));
  return { eventId };
}
