import type { DeliveryListQuery } from "@reelay/contract";
import type { Db, Prisma, WebhookAttempt, WebhookDelivery } from "@reelay/db";
import type { z } from "zod";
import { getWebhook } from "./get-webhook.ts";

/** Newest first, each with its attempts (oldest first). */
export async function listDeliveries(
  db: Db,
  tenantId: string,
  endpointId: string,
  query: z.infer<typeof DeliveryListQuery>,
): Promise<{ rows: Array<WebhookDelivery & { attemptLog: WebhookAttempt[] }>; total: number }> {
  await getWebhook(db, tenantId, endpointId);
  const where: Prisma.WebhookDeliveryWhereInput = { endpointId, ...(query.status?.length ? { status: { in: query.status } } : {}) };
  const [rows, total] = await Promise.all([
    db.webhookDelivery.findMany({
      where,
      include: { attemptLog: { orderBy: { attemptedAt: "asc" } } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (query.page - 1) * query.page_limit,
      take: query.page_limit,
    }),
    db.webhookDelivery.count({ where }),
  ]);
  return { rows, total };
}
