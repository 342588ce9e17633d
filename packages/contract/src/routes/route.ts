import type { z } from "zod";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/**
 * One operation of the API, declared once: both services bind their handlers to it, the OpenAPI
 * document is generated from it, and a test checks that every operation is served where it must be.
 */
export interface RouteDefinition {
  /** Stable id, `<resource>.<operation>`, e.g. `assets.delete`. */
  id: string;
  method: HttpMethod;
  /** Path under `/v1.3`, OpenAPI style: `/assets/{asset_id}`. */
  path: string;
  summary: string;
  /** Groups operations in the docs. */
  tag: string;
  /** The platform's own operation (the facade and the emulator serve it) or Reelay's addition (the facade only). */
  origin: "platform" | "reelay";
  /** The namespace of this route's validation error codes, e.g. `asset/validation_failed`. */
  resource: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** How the body travels. Default `json`. */
  bodyType?: "json" | "multipart";
  success: RouteAnswer;
  /** Other successful answers: a stream or an accepted background request when asked for one, 204 once a stream has ended. */
  alternatives?: RouteAnswer[];
  /** The binary parts of a multipart body, by field name (`body` holds its text fields). */
  files?: Record<string, { description: string }>;
  /** Error statuses the operation answers besides 400, 401, 429 and 5xx (which any may). */
  errors: number[];
}

/** One successful answer of an operation. */
export interface RouteAnswer {
  status: number;
  description: string;
  /** Absent for answers without a body (204) and for streams. */
  schema?: z.ZodType;
  /** Default `application/json`. */
  contentType?: string;
}

/** Keeps each route's literal id and schema types, so handlers bound to it are typed. */
export const defineRoute = <const R extends RouteDefinition>(route: R): R => route;

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler bound to `R` receives: its params, query and body, parsed by the route's schemas. */
export interface RouteInput<R extends RouteDefinition> {
  params: Infer<R["params"]>;
  query: Infer<R["query"]>;
  body: Infer<R["body"]>;
}

/** `/assets/{asset_id}` → `/assets/:asset_id`. */
export function toExpressPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ":$1");
}
