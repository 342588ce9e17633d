import { assertValidIngestionConfig, newId } from "@reelay/contract";
import type { CreateKnowledgeStoreBody } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import type { KnowledgeStoreRecord } from "../state/emulator-state.ts";

/** The enrichment config arrives tagged or untagged; the contract schema has already tagged it. */
export function createKnowledgeStore(ctx: EmulatorContext, body: CreateKnowledgeStoreBody): KnowledgeStoreRecord {
  // Like the platform: a JSON schema outside the supported subset is a 422, not ignored.
  assertValidIngestionConfig(body.ingestion_config);
  const now = new Date();
  const store: KnowledgeStoreRecord = {
    id: newId("knowledgeStore"),
    name: body.name,
    description: body.description,
    metadata: body.metadata,
    enrichmentConfig: body.ingestion_config?.enrichment_config,
    createdAt: now,
    updatedAt: now,
    seq: ctx.state.nextSeq(),
  };
  ctx.state.stores.set(store.id, store);
  return store;
}
