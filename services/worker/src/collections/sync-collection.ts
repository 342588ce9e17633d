import type { ItemCollection } from "@reelay/db";
import { finishCollectionSync, jobCancelledByDeletion, jobSucceeded } from "@reelay/domain";
import { REELAY_ID_KEY } from "../platform/platform-client.ts";
import type { UpstreamCollection } from "../platform/upstream-store-schemas.ts";
import { lastCreateSentAt } from "../steps/create-sent.ts";
import { awaitDependency, createInFlight, finished, progressed, StepFailure, type StepContext, type StepHandler, type StepOutcome } from "../steps/step.ts";

/** The platform takes at most this many ids per add or remove call. */
const MEMBERS_PER_CALL = 500;

/**
 * Brings the platform's copy of a collection up to date, in one job per collection at a time:
 * creates it once (stamped with Reelay's id, looked up by it after a crash), pushes its name,
 * description and metadata when they differ, then the membership diff: every indexed member in,
 * everything else out, by the platform's item ids. It ends `synced` only if the collection did
 * not change meanwhile (checked under its row lock); otherwise it pushes again. Members that are
 * not indexed yet are pushed when they are: their `ready` transition marks the collection behind
 * and opens this job again.
 */
export const syncCollection: StepHandler<"collection.sync"> = {
  type: "collection.sync",

  async run(ctx, { collectionId }) {
    const collection = await ctx.prisma.itemCollection.findUnique({ where: { id: collectionId }, include: { knowledgeStore: true } });
    if (!collection || collection.deletedAt || collection.knowledgeStore.deletedAt) {
      await ctx.finish(jobCancelledByDeletion(`The collection ${collectionId}`));
      return finished;
    }
    if (collection.syncStatus !== "pending") {
      await ctx.finish(jobSucceeded());
      return finished;
    }
    const store = collection.knowledgeStore;
    if (store.syncStatus === "failed") {
      throw new StepFailure({ status: 502, code: "knowledge_store_failed", message: `The knowledge store could not be created on the platform: ${store.errorMessage ?? "unknown reason"}.` });
    }
    // The store's knowledge_store.synced event wakes this job.
    if (!store.upstreamId) return awaitDependency("await_knowledge_store");

    const pushedVersion = collection.version;
    const upstream = await ensureUpstream(ctx, collection, store.upstreamId);
    if ("outcome" in upstream) return upstream.outcome;
    await pushMembers(ctx, collection.id, store.upstreamId, upstream.id);

    let current = false;
    await ctx.commit(async (tx, job) => {
      const outcome = await finishCollectionSync(tx, collection.id, pushedVersion, job(jobSucceeded()));
      current = outcome.current;
      return outcome;
    });
    return current ? finished : progressed("push_changes");
  },
};

type Fields = { reelayId: string; name: string; description?: string | undefined; metadata?: Record<string, string> | undefined };

const fieldsOf = (collection: ItemCollection): Fields => ({
  reelayId: collection.id,
  name: collection.name,
  description: collection.description ?? undefined,
  metadata: (collection.metadata as Record<string, string> | null) ?? undefined,
});

/** Whether the platform's copy already has these fields (its metadata holds Reelay's stamp too). */
function sameFields(upstream: UpstreamCollection, fields: Fields): boolean {
  const wanted: Record<string, unknown> = { ...fields.metadata, [REELAY_ID_KEY]: fields.reelayId };
  const held = upstream.metadata ?? {};
  const sameMetadata = Object.keys(wanted).length === Object.keys(held).length && Object.entries(wanted).every(([key, value]) => held[key] === value);
  return upstream.name === fields.name && (upstream.description ?? undefined) === fields.description && sameMetadata;
}

/** The platform's copy with the collection's current fields: created once, or updated where it differs. */
async function ensureUpstream(ctx: StepContext, collection: ItemCollection, storeUpstreamId: string): Promise<{ id: string } | { outcome: StepOutcome }> {
  const fields = fieldsOf(collection);
  let upstreamId = collection.upstreamId;
  if (!upstreamId) {
    const sentAt = await lastCreateSentAt(ctx.prisma, "collection.sync", collection.id);
    const found = sentAt ? await ctx.platform.findCollection(storeUpstreamId, collection.id, sentAt) : undefined;
    if (!found && sentAt) {
      const inFlightMs = ctx.createInFlightMs(sentAt);
      if (inFlightMs > 0) return { outcome: createInFlight(inFlightMs) };
    }
    if (found) {
      upstreamId = found._id;
      if (!sameFields(found, fields)) await ctx.platform.updateCollection(storeUpstreamId, upstreamId, fields);
    } else {
      // A deleted collection of the same name may still be on the platform, where names are unique.
      if (await nameStillTaken(ctx, collection)) return { outcome: awaitDependency("await_name_released") };
      await ctx.markCreateSent();
      upstreamId = (await ctx.platform.createCollection(storeUpstreamId, fields))._id;
    }
    // Bookkeeping (clients never see the platform's id): recorded at once, so no re-run creates again.
    await ctx.prisma.itemCollection.update({ where: { id: collection.id }, data: { upstreamId } });
    return { id: upstreamId };
  }
  const held = await ctx.platform.getCollection(storeUpstreamId, upstreamId);
  if (!sameFields(held, fields)) await ctx.platform.updateCollection(storeUpstreamId, upstreamId, fields);
  return { id: upstreamId };
}

/** Whether a deleted collection with this name may still hold it on the platform (its delete job is open). */
async function nameStillTaken(ctx: StepContext, collection: ItemCollection): Promise<boolean> {
  const namesakes = await ctx.prisma.itemCollection.findMany({
    where: { knowledgeStoreId: collection.knowledgeStoreId, name: collection.name, id: { not: collection.id }, deletedAt: { not: null } },
    select: { id: true },
  });
  if (namesakes.length === 0) return false;
  return (await ctx.prisma.job.count({ where: { type: "collection.delete", resourceId: { in: namesakes.map((c) => c.id) }, status: { in: ["queued", "running", "waiting_remote"] } } })) > 0;
}

/** Makes the platform's members the collection's indexed members: adds the missing, removes the rest. */
async function pushMembers(ctx: StepContext, collectionId: string, storeUpstreamId: string, upstreamId: string): Promise<void> {
  const members = await ctx.prisma.itemCollectionMember.findMany({
    where: { collectionId, item: { deletedAt: null, status: "ready", upstreamId: { not: null } } },
    orderBy: { createdAt: "asc" },
    select: { item: { select: { upstreamId: true } } },
  });
  const wanted = members.map((m) => m.item.upstreamId!);
  const held = new Set(await ctx.platform.listCollectionItemIds(storeUpstreamId, upstreamId));
  const wantedSet = new Set(wanted);
  const missing = wanted.filter((id) => !held.has(id));
  const extra = [...held].filter((id) => !wantedSet.has(id));
  for (let i = 0; i < missing.length; i += MEMBERS_PER_CALL) await ctx.platform.addCollectionItems(storeUpstreamId, upstreamId, missing.slice(i, i + MEMBERS_PER_CALL));
  for (let i = 0; i < extra.length; i += MEMBERS_PER_CALL) await ctx.platform.removeCollectionItems(storeUpstreamId, upstreamId, extra.slice(i, i + MEMBERS_PER_CALL));
}
