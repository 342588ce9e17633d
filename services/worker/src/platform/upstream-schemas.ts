/**
 * What Reelay reads from the platform's answers, in the wire shape. Only the fields the worker
 * relies on are named; everything else passes through untouched (`loose`), so nothing the
 * platform sends is renamed or lost.
 */
import { z } from "zod";

const timestamp = z.string().optional();

export const UpstreamAsset = z
  .object({
    _id: z.string(),
    status: z.string().optional(),
    filename: z.string().optional(),
    file_type: z.string().optional(),
    size: z.number().optional(),
    duration: z.number().optional(),
    technical_metadata: z.record(z.string(), z.unknown()).optional(),
    user_metadata: z.record(z.string(), z.unknown()).nullish(),
    error: z.object({ message: z.string().optional() }).loose().nullish(),
    /** Present when asked for at create; kept whole (URLs as the platform gives them). */
    hls: z.object({ status: z.string().optional() }).loose().nullish(),
    thumbnail: z.object({ status: z.string().optional() }).loose().nullish(),
    created_at: timestamp,
  })
  .loose();
export type UpstreamAsset = z.infer<typeof UpstreamAsset>;

export const UpstreamKnowledgeStore = z
  .object({ _id: z.string(), metadata: z.record(z.string(), z.unknown()).nullish(), created_at: timestamp })
  .loose();
export type UpstreamKnowledgeStore = z.infer<typeof UpstreamKnowledgeStore>;

export const UpstreamItem = z
  .object({
    _id: z.string(),
    status: z.string().optional(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
    system_metadata: z.record(z.string(), z.unknown()).nullish(),
    error: z.object({ message: z.string().optional() }).loose().nullish(),
    created_at: timestamp,
  })
  .loose();
export type UpstreamItem = z.infer<typeof UpstreamItem>;

export const upstreamPage = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item).default([]) }).loose();

/** The platform's response object, kept whole; only its status is read. */
export const UpstreamResponse = z.object({ id: z.string().optional(), status: z.string().optional(), session_id: z.string().nullish() }).loose();
export type UpstreamResponse = z.infer<typeof UpstreamResponse>;

/** An asset's transcription, kept whole once ready; only its status and error are read. */
export const UpstreamTranscription = z
  .object({ status: z.string().optional(), error: z.object({ message: z.string().optional() }).loose().nullish() })
  .loose();
export type UpstreamTranscription = z.infer<typeof UpstreamTranscription>;

/** An answer whose body (none, or one Reelay does not read) does not matter. */
export const NoContent = z.unknown();
