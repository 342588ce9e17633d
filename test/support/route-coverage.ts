import { API_VERSION, toExpressPath } from "@reelay/contract";
import type { RouteDefinition } from "@reelay/contract";

/** A method and path an Express app routes, e.g. `GET /v1.3/assets/:asset_id`. */
export interface ServedOperation {
  method: string;
  path: string;
}

export interface RouteCoverage {
  /** Routes of the table the app has no route for (same method, same path up to parameter names). */
  unserved: RouteDefinition[];
  /** Operations the app routes under the prefix that the table does not declare. */
  undeclared: ServedOperation[];
}

export interface RouteCoverageOptions {
  /** Where the table's paths are mounted. Default `/v1.3`. */
  prefix?: string;
}

/**
 * Compares an Express app (or router) with route-table entries, from the routes it registered
 * (`router.listRoutes()` of Express 5's router, recursing into mounted routers), without sending a
 * request. A route counts as served when a registered route has its method, or `all`, and its path,
 * whatever the parameters are named. `HEAD` is left out of `undeclared` (Express answers it for
 * every GET), and so is an `all` route on a declared path. Check the platform's operations against
 * the emulator, and every operation against the facade.
 */
export function routeCoverage(app: unknown, table: readonly RouteDefinition[], { prefix = `/${API_VERSION}` }: RouteCoverageOptions = {}): RouteCoverage {
  const served = servedOperations(app);
  const key = (method: string, path: string) => `${method.toUpperCase()} ${shape(path)}`;
  const servedKeys = new Set(served.map((op) => key(op.method, op.path)));
  const declaredKeys = new Set(table.flatMap((route) => [key(route.method, prefix + toExpressPath(route.path)), key("*", prefix + toExpressPath(route.path))]));
  const under = shape(prefix);
  return {
    unserved: table.filter((route) => {
      const path = prefix + toExpressPath(route.path);
      return !servedKeys.has(key(route.method, path)) && !servedKeys.has(key("*", path));
    }),
    undeclared: served.filter((op) => op.method !== "HEAD" && (shape(op.path) + "/").startsWith(`${under}/`) && !declaredKeys.has(key(op.method, op.path))),
  };
}

/** Every method and path an app or router routes, mounted routers included. `*` stands for `router.all`. */
export function servedOperations(app: unknown): ServedOperation[] {
  // An Express app keeps its routes on `app.router`; a Router is its own.
  const router = typeof app === "function" && "router" in app ? (app as { router: unknown }).router : app;
  return listRoutes(router, "");
}

interface ListedRoute {
  path: unknown;
  methods: unknown;
  router: unknown;
}

function listRoutes(router: unknown, prefix: string): ServedOperation[] {
  if (typeof (router as { listRoutes?: unknown } | null)?.listRoutes !== "function") return [];
  const operations: ServedOperation[] = [];
  for (const route of (router as { listRoutes(): ListedRoute[] }).listRoutes()) {
    // RegExp paths cannot be compared with the table's templates.
    if (typeof route.path !== "string") continue;
    const path = `${prefix}/${route.path}`.replace(/\/{2,}/g, "/").replace(/(.)\/$/, "$1");
    if (Array.isArray(route.methods)) {
      for (const method of route.methods) if (typeof method === "string") operations.push({ method: method.toUpperCase(), path });
    } else {
      operations.push(...listRoutes(route.router, path));
    }
  }
  return operations;
}

/** A path with its parameters unnamed and its case folded, as Express matches it: `/assets/:`. */
function shape(path: string): string {
  return path.toLowerCase().replace(/:[A-Za-z0-9_$]+/g, ":").replace(/(.)\/$/, "$1");
}
