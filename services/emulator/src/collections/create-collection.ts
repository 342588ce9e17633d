import { uuidv7 } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import { getKnowledgeStore } from "../knowledge-stores/get-knowledge-store.ts";
import type { CollectionRecord } from "../state/emulator-state.ts";
import type { CreateCollectionBody } from "@reelay/contract";
import { assertNameFree } from "./get-collection.ts";

/** The platform's collection ids: `ksic_` and a UUIDv7, like the other Jockey ids. */
const COLLECTION_ID_PREFIX = "ksic_";

export function createCollection(ctx: EmulatorContext, storeId: string, body: CreateCollectionBody): CollectionRecord {
  const store = getKnowledgeStore(ctx, storeId);
  assertNameFree(ctx, store.id, body.name);
  const now = new Date();
  const collection: CollectionRecord = {
    id: `${COLLECTION_ID_PREFIX}${uuidv7(now.getTime())}`,
    storeId: store.id,
    name: body.name,
    description: body.description,
    metadata: body.metadata,
    memberIds: new Set(),
    createdAt: now,
    updatedAt: now,
    seq: ctx.state.nextSeq(),
  };
  ctx.state.collections.set(collection.id, collection);
  return collection;
}
