import { ItemStatus } from "@reelay/contract";
import { asJson, type Job } from "@reelay/db";
import { changeItemStatus, changeJob, jobFailed, jobSucceeded, lockVersion, StaleStateError } from "@reelay/domain";
import type { UpstreamItem } from "../platform/upstream-schemas.ts";
import { finished, type StepContext, type StepHandler, type StepOutcome } from "../steps/step.ts";

/** How the watcher paces itself: see the worker's WATCH_* and INDEX_* variables. */
export interface WatchTuning {
  /** Longest wait between two looks while items are being indexed, ms. */
  intervalMaxMs: number;
  /** Shortest wait, ms (right after something changed). */
  intervalMinMs: number;
  /** Each item's own safety poll while a watcher runs, ms. */
  itemSafetyPollMs: number;
}

/**
 * How far the watcher has read: the platform's `updated_at` of the newest change it handled, and
 * when it last read every page (`swept`).
 */
interface WatchState {
  seen?: string;
  swept?: string;
}

const OPEN = ["queued", "pending", "processing"] as const;
const PAGE = 50;
/** The platform's clocks may disagree slightly between two answers: read a little back. */
const OVERLAP_MS = 2_000;
/**
 * Every so many longest waits, a look reads every page, not just the changes since the last: a
 * change whose `updated_at` the platform stamped out of order is seen within this long, without
 * waiting for the item's own (slow) safety poll.
 */
const SWEEP_EVERY = 12;

/**
 * One watcher per store while any of its items is being indexed. Each look lists the store's
 * items most recently changed first, page by page until it reaches what it has already seen, so
 * one call usually serves every item of the store; each item that moved is transitioned with its
 * own job (ready/failed end it). The next look is soon after a change, then backs off to the
 * interval cap while nothing moves.
 */
export const watchStoreItems: StepHandler<"knowledge_store.watch_items"> = {
  type: "knowledge_store.watch_items",

  async run(ctx, { knowledgeStoreId }) {
    const store = await ctx.prisma.knowledgeStore.findUnique({ where: { id: knowledgeStoreId }, select: { upstreamId: true, deletedAt: true } });
    const open = store?.upstreamId && !store.deletedAt
      ? await ctx.prisma.knowledgeStoreItem.findMany({
          where: { knowledgeStoreId, upstreamId: { not: null }, status: { in: [...OPEN] }, deletedAt: null },
          select: { id: true, upstreamId: true, status: true, jobId: true },
        })
      : [];
    if (!store?.upstreamId || open.length === 0) return endIfIdle(ctx, knowledgeStoreId, store);

    const state = (ctx.job.state ?? {}) as WatchState;
    const sweep = !state.swept || Date.now() - Date.parse(state.swept) >= SWEEP_EVERY * ctx.watch.intervalMaxMs;
    const since = state.seen && !sweep ? Date.parse(state.seen) - OVERLAP_MS : 0;
    const changed: UpstreamItem[] = [];
    let newest = state.seen;
    for (let page = 1; ; page++) {
      const rows = await ctx.platform.listItemsByChange(store.upstreamId, page);
      changed.push(...rows.filter((row) => !row.updated_at || Date.parse(String(row.updated_at)) >= since));
      for (const row of rows) if (row.updated_at && (!newest || String(row.updated_at) > newest)) newest = String(row.updated_at);
      const last = rows.at(-1)?.updated_at;
      if (rows.length < PAGE || (last && Date.parse(String(last)) < since)) break;
    }

    const ours = new Map(open.map((item) => [item.upstreamId, item]));
    let moved = 0;
    for (const upstream of changed) {
      const item = ours.get(upstream._id);
      const status = ItemStatus.safeParse(upstream.status);
      if (!item || !status.success || status.data === item.status || status.data === "queued") continue;
      const job = item.jobId ? await ctx.prisma.job.findUnique({ where: { id: item.jobId } }) : null;
      const failure = upstream.error?.message ? `The platform could not index the item: ${upstream.error.message}` : "The platform could not index the item.";
      try {
        await ctx.prisma.$transaction((tx) =>
          changeItemStatus(
            tx,
            item.id,
            {
              status: status.data as Exclude<ItemStatus, "queued">,
              ...(upstream.system_metadata ? { systemMetadata: asJson(upstream.system_metadata) } : {}),
              ...(status.data === "failed" ? { errorMessage: failure } : {}),
            },
            jobEffect(job, status.data, failure),
          ),
        );
        moved++;
      } catch (error) {
        // The item's own safety poll (or a cancel) got there first: nothing to do.
        if (!(error instanceof StaleStateError)) throw error;
      }
    }

    const stillOpen = open.length - changed.filter((row) => row.status === "ready" || row.status === "failed").filter((row) => ours.has(row._id)).length;
    await ctx.finish({ state: asJson({ seen: newest, swept: sweep ? new Date().toISOString() : state.swept } satisfies WatchState) });
    if (stillOpen <= 0) return endIfIdle(ctx, knowledgeStoreId, store);
    return nextLook(ctx, moved > 0);
  },
};

/**
 * Ends the watcher when nothing is left to watch, under the store's row lock, which an item takes
 * to start watching: an item that reached the platform just now either sees this watcher open or
 * starts the next one.
 */
async function endIfIdle(ctx: StepContext, knowledgeStoreId: string, store: { upstreamId: string | null; deletedAt: Date | null } | null): Promise<StepOutcome> {
  const ended = await ctx.prisma.$transaction(async (tx) => {
    await lockVersion(tx, "knowledge_stores", knowledgeStoreId);
    const left = await tx.knowledgeStoreItem.count({ where: { knowledgeStoreId, upstreamId: { not: null }, status: { in: [...OPEN] }, deletedAt: null } });
    if (left > 0 && store?.upstreamId && !store.deletedAt) return false;
    await changeJob(tx, ctx.job, { ...jobSucceeded(), stage: "idle" });
    return true;
  });
  return ended ? finished : { done: false, stage: "await_indexed", remote: true, waitMs: ctx.watch.intervalMinMs };
}

function jobEffect(job: Job | null, status: string, failure: string) {
  if (!job || !["queued", "running", "waiting_remote"].includes(job.status)) return undefined;
  if (status === "ready") return { job, change: jobSucceeded() };
  if (status === "failed") return { job, change: jobFailed({ code: "item_failed", message: failure, retryable: false }) };
  return { job };
}

/** Soon after a change, then backing off (doubling) to the interval cap while nothing moves. */
function nextLook(ctx: { watch: WatchTuning; job: Job }, moved: boolean): StepOutcome {
  if (moved) return { done: false, stage: "await_indexed", remote: true, waitMs: ctx.watch.intervalMinMs, progressed: true };
  const waitMs = Math.min(ctx.watch.intervalMaxMs, ctx.watch.intervalMinMs * 2 ** Math.min(ctx.job.polls, 20));
  return { done: false, stage: "await_indexed", remote: true, waitMs };
}
