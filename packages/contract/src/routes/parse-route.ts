import type { z } from "zod";
import { validationError } from "../errors.ts";
import type { RouteDefinition, RouteInput } from "./route.ts";

/** The parts of a request a route's schemas read. */
export interface RouteRequest {
  params: unknown;
  query: unknown;
  body: unknown;
}

function part(schema: z.ZodType | undefined, input: unknown, resource: string): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error.issues, input, resource);
  return result.data;
}

/**
 * Parses a request with its route's schemas: params, then query, then body (a missing body is
 * `{}`). The first part that fails becomes the platform's 400 naming its fields.
 */
export function parseRoute<R extends RouteDefinition>(route: R, req: RouteRequest): RouteInput<R> {
  return {
    params: part(route.params, req.params, route.resource),
    query: part(route.query, req.query, route.resource),
    body: part(route.body, req.body ?? {}, route.resource),
  } as RouteInput<R>;
}
