/**
 * What Reelay reads from the platform's item collections and store searches, in the wire shape.
 * Like `upstream-schemas.ts`: only the fields the worker relies on are named, the rest passes
 * through (`loose`) untouched.
 */
import { z } from "zod";

export const UpstreamCollection = z
  .object({
    _id: z.string(),
    name: z.string().optional(),
    description: z.string().nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
    created_at: z.string().optional(),
  })
  .loose();
export type UpstreamCollection = z.infer<typeof UpstreamCollection>;

/** One search hit: its item id is the platform's (mapped to Reelay's before anyone sees it). */
export const UpstreamSearchHit = z
  .object({
    item_id: z.string(),
    metadata: z.object({ user: z.record(z.string(), z.unknown()).nullish() }).loose().nullish(),
  })
  .loose();
export type UpstreamSearchHit = z.infer<typeof UpstreamSearchHit>;

export const UpstreamSearch = z
  .object({
    data: z.array(UpstreamSearchHit).default([]),
    next_page_token: z.string().nullish(),
    effective_search_options: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type UpstreamSearch = z.infer<typeof UpstreamSearch>;
