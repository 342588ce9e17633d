import { assetRoutes } from "./asset-routes.ts";
import { knowledgeStoreRoutes } from "./knowledge-store-routes.ts";
import { jobRoutes, responseRoutes, webhookRoutes } from "./reelay-routes.ts";
import type { RouteDefinition } from "./route.ts";

export * from "./route.ts";
export { DeliveryParams, JobParams, ResponseParams, WebhookParams } from "./reelay-routes.ts";

const all = [...assetRoutes, ...knowledgeStoreRoutes, ...responseRoutes, ...jobRoutes, ...webhookRoutes];

/** Every operation of the API, platform's and Reelay's, in docs order. */
export const routeTable: readonly RouteDefinition[] = all;

type Routes = { [R in (typeof all)[number] as R["id"]]: R };

/** The routes by id, typed: `routes["assets.retrieve"].params` is that route's own schema. */
export const routes = Object.fromEntries(all.map((route) => [route.id, route])) as Routes;
export * from "./parse-route.ts";
