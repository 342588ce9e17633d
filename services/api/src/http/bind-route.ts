import type { RequestHandler, Response, Router } from "express";
import { invalidParameter, parseRoute, toExpressPath, type RouteDefinition, type RouteInput } from "@reelay/contract";
import type { Request } from "express";
import { findUnstorableInput } from "./unstorable-input.ts";

/**
 * Serves one operation of the route table: its method and path come from the table, and the
 * handler receives the request's params, query and body already parsed by the route's schemas (a
 * failure is the platform's 400 naming the field). Like `parse`, it then refuses what Postgres
 * cannot store (NUL, unpaired surrogates, absurd nesting), naming the field. `before` runs first
 * (multer, say).
 */
export function bindRoute<R extends RouteDefinition>(
  router: Router,
  route: R,
  handler: (input: RouteInput<R>, req: Request, res: Response) => Promise<void> | void,
  ...before: RequestHandler[]
): void {
  router[route.method](toExpressPath(route.path), ...before, async (req: Request, res: Response) => {
    await handler(parseStorable(route, req), req, res);
  });
}

function parseStorable<R extends RouteDefinition>(route: R, req: Request): RouteInput<R> {
  const input = parseRoute(route, req);
  for (const part of ["params", "query", "body"] as const) {
    const unstorable = findUnstorableInput(input[part]);
    if (unstorable) throw invalidParameter(unstorable.path.map(String).join(".") || part, unstorable.message, route.resource);
  }
  return input;
}
