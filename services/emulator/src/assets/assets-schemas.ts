import { PageQuery, repeatedQuery } from "@reelay/contract";
import { z } from "zod";

/**
 * Request and response schemas of the asset endpoints the shared contract does not declare yet
 * (twelvelabs-js 1.3.4 `assets` resource). Candidates for `packages/contract`.
 */

export const AssetParams = z.object({ asset_id: z.string().min(1) });

/** `document` is a type the platform lists; the emulator holds no documents, so it matches nothing. */
export const AssetTypeFilterValue = z.enum(["video", "audio", "image", "document"]);

export const ListAssetsQuery = PageQuery.extend({
  filename: z.string().optional(),
  asset_ids: repeatedQuery(z.string().min(1)),
  asset_types: repeatedQuery(AssetTypeFilterValue),
});

/** A query-string boolean: only `true` and `false`, so a typo is a 400 rather than a silent default. */
const queryBoolean = z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.enum(["true", "false"]).transform((v) => v === "true"));

export const DeleteAssetQuery = z.object({ force: queryBoolean.optional() });

/** A value `null` deletes the key (PATCH) or is ignored (PUT); `""` is ignored by both. */
export const UserMetadataChangeBody = z.object({
  user_metadata: z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type UserMetadataChange = z.infer<typeof UserMetadataChangeBody>["user_metadata"];

export const TranscriptionSegmentation = z.enum(["words", "sentences", "utterances"]);
export type TranscriptionSegmentation = z.infer<typeof TranscriptionSegmentation>;

/** `include` repeats (`include=words&include=utterances`) or is one comma-separated value. */
export const TranscriptionQuery = z.object({
  include: z.preprocess(
    (v) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((part) => String(part).split(",")).map((part) => part.trim())),
    z.array(TranscriptionSegmentation).min(1).default(["words"]),
  ),
});

export const TranscriptionEntry = z.object({ start: z.number(), end: z.number(), value: z.string() });
export const TranscriptionUtterance = TranscriptionEntry.extend({ speaker: z.string().optional() });

/** `GET /assets/{asset_id}/transcription` answer. */
export const AssetTranscription = z.object({
  status: z.enum(["pending", "processing", "ready", "failed"]),
  words: z.array(TranscriptionEntry).optional(),
  sentences: z.array(TranscriptionEntry).optional(),
  utterances: z.array(TranscriptionUtterance).optional(),
  error: z.object({ message: z.string() }).optional(),
});
export type AssetTranscription = z.infer<typeof AssetTranscription>;
