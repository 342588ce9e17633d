import type { RequestHandler, Response, Router } from "express";
import { parseRoute, toExpressPath, type RouteDefinition, type RouteInput } from "@reelay/contract";
import type { Request } from "express";

/**
 * Serves one operation of the route table: its method and path come from the table, and the
 * handler receives the request's params, query and body already parsed by the route's schemas (a
 * failure is the platform's 400 naming the field). `before` runs first (multer, say).
 */
export function bindRoute<R extends RouteDefinition>(
  router: Router,
  route: R,
  handler: (input: RouteInput<R>, req: Request, res: Response) => Promise<void> | void,
  ...before: RequestHandler[]
): void {
  router[route.method](toExpressPath(route.path), ...before, async (req: Request, res: Response) => {
    await handler(parseRoute(route, req), req, res);
  });
}
