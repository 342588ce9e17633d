/**
 * The platform's v1.3 wire contract (snake_case, as sent over HTTP), shared by the facade and
 * the emulator, split by resource (this file: what every resource shares). Authority: the
 * official twelvelabs-js SDK's serialization types.
 */
import { z } from "zod";

export const API_VERSION = "v1.3";

// ---------- pagination ----------

/** Query strings arrive as strings; an empty value means "not given". */
const queryInt = (fallback: number, max?: number) =>
  z.preprocess(
    (v) => (v === undefined || v === "" ? undefined : Array.isArray(v) ? v[0] : v),
    z.coerce
      .number()
      .int()
      .min(1)
      .max(max ?? Number.MAX_SAFE_INTEGER)
      .default(fallback),
  );

export const PageQuery = z.object({
  page: queryInt(1),
  page_limit: queryInt(10, 50),
});
export type PageQuery = z.infer<typeof PageQuery>;

export const PageInfo = z.object({
  limit_per_page: z.number().int(),
  page: z.number().int(),
  total_page: z.number().int(),
  total_results: z.number().int(),
});
export type PageInfo = z.infer<typeof PageInfo>;

export function pageInfo(query: PageQuery, totalResults: number): PageInfo {
  return {
    limit_per_page: query.page_limit,
    page: query.page,
    total_page: Math.ceil(totalResults / query.page_limit),
    total_results: totalResults,
  };
}

export const listOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), page_info: PageInfo });

/** Repeated query keys (`status=a&status=b`) arrive as an array, a single one as a string. */
export const repeatedQuery = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]), z.array(item).optional());

// ---------- errors ----------

export const ErrorBody = z.object({
  code: z.string(),
  message: z.string(),
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().int().optional(),
  detail: z.string().optional(),
  request_id: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

// ---------- shared value shapes ----------

export const StringMap = z.record(z.string(), z.string());
/** `user_metadata`: string keys, values that are strings, numbers or booleans. */
export const UserMetadata = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** A query-string boolean: only `true` and `false`, so a typo is a 400 rather than a silent default. */
export const queryBoolean = z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.enum(["true", "false"]).transform((v) => v === "true"));


/** What a knowledge store item holds: a video or an image asset. */
export const ItemAssetType = z.enum(["video", "image"]);
