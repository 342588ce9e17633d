import { z } from "zod";
import * as assets from "../assets-wire.ts";
import * as collections from "../collections-wire.ts";
import * as common from "../common-wire.ts";
import * as items from "../items-wire.ts";
import * as jobs from "../jobs-wire.ts";
import * as knowledgeStores from "../knowledge-stores-wire.ts";
import { EnrichmentConfig } from "../knowledge-stores-wire.ts";
import * as multipart from "../multipart-wire.ts";
import * as responses from "../responses-wire.ts";
import type { RouteDefinition } from "../routes/index.ts";
import * as webhooks from "../webhooks-wire.ts";

const wireModules: ReadonlyArray<Record<string, unknown>> = [common, assets, multipart, knowledgeStores, items, collections, responses, jobs, webhooks];

/**
 * The component names of the document: every schema a wire module exports under a type-like name
 * (`AssetDetail`, `JobStatus`), so generated clients get the names the code uses. Only those an
 * operation reaches end up in the document. Left out, so they render inline: the params and query
 * schemas (they become parameters, not schemas) and multipart bodies (form fields must be listed
 * where the body is, for a docs UI to offer a file picker).
 */
export function componentNames(table: readonly RouteDefinition[]): Map<z.ZodType, string> {
  const inline = new Set<unknown>(table.flatMap((route) => [route.params, route.query, route.bodyType === "multipart" ? route.body : undefined]));
  const names = new Map<z.ZodType, string>();
  for (const module of wireModules) {
    for (const [name, value] of Object.entries(module)) {
      // The first name wins when one schema is exported under two.
      if (/^[A-Z]/.test(name) && value instanceof z.ZodType && !inline.has(value) && !names.has(value)) names.set(value, name);
    }
  }
  return names;
}

/**
 * `EnrichmentConfig`'s preprocess tags an untagged config (`{description}`, `{json_schema}`, the
 * April contract) before the tagged union checks it. zod renders the union only; clients may send
 * either form.
 */
const [ByDescription, ByJsonSchema] = EnrichmentConfig.out.options;
const EnrichmentConfigInput = z.union([ByDescription, ByJsonSchema, ByDescription.omit({ type: true }), ByJsonSchema.omit({ type: true })]);

/** Schemas whose request form zod cannot see through, with a schema that states it. */
export const documentedInputs: ReadonlyMap<z.ZodType, z.ZodType> = new Map<z.ZodType, z.ZodType>([[EnrichmentConfig, EnrichmentConfigInput]]);

/**
 * Rules zod checks in code (refinements) that JSON Schema cannot state, said in words. They belong
 * next to the refinements, as `.meta({ description })`, once the wire modules carry descriptions.
 */
export const schemaDescriptions: ReadonlyMap<z.ZodType, string> = new Map<z.ZodType, string>([
  [assets.CreateAssetForm, "`url` is required with method=url, the `file` part with method=direct."],
  [assets.CreateAssetForm.shape.url, "An http or https URL."],
  [webhooks.WebhookUrl, "An http or https URL."],
  [assets.CreateAssetForm.shape.user_metadata, "A JSON-encoded object whose values are strings, numbers or booleans."],
  [responses.CreateResponseBody, "Name the knowledge store either as `knowledge_store_id` or as exactly one `knowledge_store` tool, not both."],
  [knowledgeStores.SearchBody, "`filter.asset_type` and `filter.item_id` take exactly one of `eq` and `in`; `search_options.video` needs videos among the searched types."],
  [knowledgeStores.CreateKnowledgeStoreBody, "An `enrichment_config.json_schema` must have an object root and a description on every property, using only the keywords the platform supports (422 otherwise)."],
  [webhooks.UpdateWebhookBody, "Name at least one of `url`, `events`, `description`, `enabled`."],
  [assets.TranscriptionQuery.shape.include, "Repeat the parameter or separate values with commas."],
]);
