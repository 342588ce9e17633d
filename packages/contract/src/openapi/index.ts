export { buildOpenApiDocument, ORIGIN_EXTENSION } from "./build-openapi-document.ts";
export type { OpenApiOptions } from "./build-openapi-document.ts";
