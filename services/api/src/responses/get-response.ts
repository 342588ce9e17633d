import { notFound } from "@reelay/contract";
import type { Db, Response } from "@reelay/db";

export async function getResponse(db: Db, tenantId: string, responseId: string): Promise<Response> {
  const response = await db.response.findFirst({ where: { id: responseId, tenantId } });
  if (!response) throw notFound("response", responseId);
  return response;
}
