import { toExpressPath } from "@reelay/contract";
import type { RouteDefinition } from "@reelay/contract";

/** One API operation as the routes declare it, e.g. `{ method: "GET", pattern: "/assets/:asset_id" }`. */
export interface Operation {
  method: string;
  pattern: string;
}

/** Requests that match no route are counted together, so a scan of random paths cannot grow the stats. */
export const UNKNOWN_ROUTE = "(unknown route)";

/**
 * True when `path` fits `pattern`: `:name` matches one segment, a final `*` matches the rest (zero
 * or more segments). Case and trailing slashes are ignored, as Express ignores them when routing.
 */
export function matchesPattern(pattern: string, path: string): boolean {
  const want = segments(pattern);
  const got = segments(path);
  for (const [index, part] of want.entries()) {
    if (part === "*" && index === want.length - 1) return true;
    const actual = got[index];
    if (actual === undefined) return false;
    if (!part.startsWith(":") && part !== actual) return false;
  }
  return got.length === want.length;
}

function segments(path: string): string[] {
  return path.toLowerCase().split("/").filter(Boolean);
}

interface RouteListing {
  path: unknown;
  methods: unknown;
  router: unknown;
}

/**
 * The operations a router serves, read with `router.listRoutes()` (the `router` package behind
 * Express 5), recursing into mounted routers. The request gate runs before routing, so it cannot
 * wait for `req.route` to name the operation; it matches against this list instead. Only string
 * paths are listed: the emulator declares no RegExp routes.
 */
export function listOperations(router: unknown, prefix = ""): Operation[] {
  if (!isListable(router)) return [];
  const operations: Operation[] = [];
  for (const route of router.listRoutes()) {
    if (typeof route.path !== "string") continue;
    const path = joinPaths(prefix, route.path);
    if (Array.isArray(route.methods)) {
      for (const method of route.methods) if (typeof method === "string") operations.push({ method, pattern: path });
    } else if (route.router) {
      operations.push(...listOperations(route.router, path));
    }
  }
  return operations;
}

/** The operations of route-table entries, as a router serving them would list them (a GET also answers HEAD). */
export function tableOperations(table: readonly RouteDefinition[]): Operation[] {
  return table.flatMap((route) => {
    const method = route.method.toUpperCase();
    const pattern = toExpressPath(route.path);
    return method === "GET" ? [{ method, pattern }, { method: "HEAD", pattern }] : [{ method, pattern }];
  });
}

/** Names the operation a request is for: `"GET /assets/:asset_id"`, or the method and {@link UNKNOWN_ROUTE}. */
export function operationOf(operations: readonly Operation[], method: string, path: string): string {
  const found = operations.find((operation) => (operation.method === method || operation.method === "*") && matchesPattern(operation.pattern, path));
  return `${method} ${found?.pattern ?? UNKNOWN_ROUTE}`;
}

function isListable(router: unknown): router is { listRoutes(): RouteListing[] } {
  return typeof router === "function" && typeof (router as { listRoutes?: unknown }).listRoutes === "function";
}

function joinPaths(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/{2,}/g, "/");
  return joined.length > 1 ? joined.replace(/\/$/, "") : joined;
}
