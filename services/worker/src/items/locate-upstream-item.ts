import type { KnowledgeStoreItem } from "@reelay/db";
import { lastCreateSentAt } from "../steps/create-sent.ts";
import type { StepContext } from "../steps/step.ts";

/**
 * The platform's id of an item: recorded, or looked up by its stamp when its indexing sent a
 * create without Reelay learning the id (a crash, a cancel). Not found while that create may still
 * be in flight: `inFlightMs` says how long to wait before looking again (never give up early).
 * Neither: the platform does not have the item.
 */
export async function locateUpstreamItem(ctx: StepContext, item: KnowledgeStoreItem, storeUpstreamId: string): Promise<{ upstreamId?: string; inFlightMs?: number }> {
  if (item.upstreamId) return { upstreamId: item.upstreamId };
  const sentAt = await lastCreateSentAt(ctx.prisma, "item.index", item.id);
  if (!sentAt) return {};
  // Look at once (usually the create landed); not there while it may still be in flight: look again later.
  const found = await ctx.platform.findItem(storeUpstreamId, item.id, sentAt);
  if (found) return { upstreamId: found._id };
  const inFlightMs = ctx.createInFlightMs(sentAt);
  return inFlightMs > 0 ? { inFlightMs } : {};
}
