import { parseRoute, toExpressPath } from "@reelay/contract";
import type { RouteDefinition, RouteInput } from "@reelay/contract";
import type { Request, RequestHandler, Response, Router } from "express";

/** A handler bound to a route of the table: it receives the request's params, query and body already parsed. */
export type RouteHandler<R extends RouteDefinition> = (input: RouteInput<R>, req: Request, res: Response) => unknown;

export interface BindOptions {
  /** Middlewares that run before the input is parsed, e.g. a multipart parser. */
  before?: RequestHandler[];
  /** Runs when the input is rejected, before the 400 is rendered: e.g. discards an uploaded file. */
  onRejected?: (req: Request) => Promise<void> | void;
}

/**
 * Serves one operation of the route table: its method and path come from `route`, and its input is
 * parsed with the route's schemas, a failure answering the platform's 400 naming the field.
 */
export function bindRoute<R extends RouteDefinition>(router: Router, route: R, handler: RouteHandler<R>, options: BindOptions = {}): void {
  const { before = [], onRejected } = options;
  const serve: RequestHandler = onRejected
    ? async (req, res) => {
        let input: RouteInput<R>;
        try {
          input = parseRoute(route, req);
        } catch (error) {
          await onRejected(req);
          throw error;
        }
        await handler(input, req, res);
      }
    : (req, res) => handler(parseRoute(route, req), req, res);
  router[route.method](toExpressPath(route.path), ...before, serve);
}
