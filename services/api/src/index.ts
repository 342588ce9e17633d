export { createApp, type AppDeps } from "./app.ts";
export { ApiConfig } from "./config.ts";
export { startApi } from "./start-api.ts";
export { createApiKey, revokeApiKey, tenantForApiKey } from "./tenants/api-keys.ts";
