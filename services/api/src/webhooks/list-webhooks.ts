import type { PageQuery } from "@reelay/contract";
import type { Db, WebhookEndpoint } from "@reelay/db";

export async function listWebhooks(db: Db, tenantId: string, query: PageQuery): Promise<{ rows: WebhookEndpoint[]; total: number }> {
  const [rows, total] = await Promise.all([
    db.webhookEndpoint.findMany({ where: { tenantId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (query.page - 1) * query.page_limit, take: query.page_limit }),
    db.webhookEndpoint.count({ where: { tenantId } }),
  ]);
  return { rows, total };
}
