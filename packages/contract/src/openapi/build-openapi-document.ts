import type { OpenAPIV3_1 } from "openapi-types";
import type { z } from "zod";
import { API_VERSION, ErrorBody } from "../common-wire.ts";
import { routeTable } from "../routes/index.ts";
import type { RouteAnswer, RouteDefinition } from "../routes/index.ts";
import { createSchemaCatalog } from "./schema-catalog.ts";
import type { JsonSchema, SchemaCatalog } from "./schema-catalog.ts";
import { componentNames, documentedInputs, schemaDescriptions } from "./schema-names.ts";

export interface OpenApiOptions {
  /** The API's base URL, `/v1.3` included. Default `/v1.3`, relative to the host serving the document. */
  serverUrl?: string;
  /** Default `Reelay API`. */
  title?: string;
  /** The document's `info.version`. Default the API version, `v1.3`. */
  version?: string;
  /** The operations to document. Default {@link routeTable}, every operation. */
  routes?: readonly RouteDefinition[];
  /** Throw on a schema JSON Schema cannot express instead of documenting it as `{}`. Default false. */
  strict?: boolean;
}

/** Marks each operation as the platform's own (`platform`) or Reelay's addition (`reelay`). */
export const ORIGIN_EXTENSION = "x-reelay-origin";

type Operation = OpenAPIV3_1.OperationObject<{ [ORIGIN_EXTENSION]: RouteDefinition["origin"] }>;

/** Statuses any operation may answer, whatever its route declares. */
const COMMON_ERRORS = [400, 401, 429, 500, 503];

const ERROR_RESPONSES: Record<number, { name: string; description: string; retryAfter?: boolean }> = {
  400: { name: "BadRequest", description: "The request is invalid: `errors[]` names each failing field" },
  401: { name: "Unauthorized", description: "The `x-api-key` header is missing or not a valid key" },
  404: { name: "NotFound", description: "The resource does not exist" },
  409: { name: "Conflict", description: "The resource's state does not allow the operation" },
  410: { name: "Gone", description: "The page token has expired" },
  413: { name: "ContentTooLarge", description: "The request body is larger than the operation accepts" },
  415: { name: "UnsupportedMediaType", description: "The request body's media type is not accepted" },
  422: { name: "UnprocessableContent", description: "The request is well formed but cannot be carried out" },
  429: { name: "TooManyRequests", description: "Rate limited: retry after `Retry-After` seconds", retryAfter: true },
  500: { name: "InternalServerError", description: "An unexpected error; the body carries a request id" },
  503: { name: "ServiceUnavailable", description: "Temporarily unavailable: retry after `Retry-After` seconds", retryAfter: true },
  504: { name: "GatewayTimeout", description: "The platform did not answer in time" },
};

const SECURITY_SCHEME = "ApiKey";

/**
 * The OpenAPI 3.1 document of the API, generated from the route table: one operation per route,
 * its parameters, body and answers rendered from the route's zod schemas by zod itself
 * (`z.toJSONSchema`), requests as clients write them (`io: "input"`: before defaults, coercions
 * and transforms) and answers as the server sends them (`io: "output"`).
 */
export function buildOpenApiDocument(options: OpenApiOptions = {}): OpenAPIV3_1.Document {
  const table = options.routes ?? routeTable;
  const catalog = createSchemaCatalog({ names: componentNames(table), documentedInputs, descriptions: schemaDescriptions, strict: options.strict });
  const errorBody = catalog.render(ErrorBody, "output");

  const paths: Record<string, Record<string, Operation>> = {};
  for (const route of table) {
    const pathItem = (paths[route.path] ??= {});
    if (pathItem[route.method]) throw new Error(`openapi: ${route.method.toUpperCase()} ${route.path} is declared twice`);
    pathItem[route.method] = operationOf(route, catalog);
  }

  const errorStatuses = [...new Set([...COMMON_ERRORS, ...table.flatMap((route) => route.errors)])].sort((a, b) => a - b);
  const responses: Record<string, OpenAPIV3_1.ResponseObject> = {};
  for (const status of errorStatuses) {
    const { name, description, retryAfter } = errorResponse(status);
    responses[name] = {
      description,
      ...(retryAfter ? { headers: { "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer", minimum: 0 } } } } : {}),
      content: { "application/json": { schema: errorBody as OpenAPIV3_1.SchemaObject } },
    };
  }

  return {
    openapi: "3.1.0",
    info: {
      title: options.title ?? "Reelay API",
      version: options.version ?? API_VERSION,
      description:
        "A self-hosted gateway in front of the TwelveLabs v1.3 video-agents API. It serves the platform's operations " +
        `in the platform's wire format, and adds its own (marked \`${ORIGIN_EXTENSION}: reelay\`): jobs, webhooks, ` +
        "background responses. Errors carry the platform's `code` and `message` plus the RFC 9457 problem members.",
    },
    servers: [{ url: options.serverUrl ?? `/${API_VERSION}` }],
    security: [{ [SECURITY_SCHEME]: [] }],
    tags: [...new Set(table.map((route) => route.tag))].map((name) => ({ name })),
    paths: paths as OpenAPIV3_1.PathsObject,
    components: {
      // Last: rewriting the `$ref`s of everything rendered above needs every rendering done.
      schemas: catalog.components() as Record<string, OpenAPIV3_1.SchemaObject>,
      responses,
      securitySchemes: { [SECURITY_SCHEME]: { type: "apiKey", in: "header", name: "x-api-key" } },
    },
  };
}

function operationOf(route: RouteDefinition, catalog: SchemaCatalog): Operation {
  const parameters = [...parametersOf(route, "path", catalog), ...parametersOf(route, "query", catalog)];
  const requestBody = requestBodyOf(route, catalog);
  return {
    operationId: route.id,
    summary: route.summary,
    ...(route.origin === "reelay" ? { description: "Reelay's addition: the platform has no such operation." } : {}),
    tags: [route.tag],
    [ORIGIN_EXTENSION]: route.origin,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: responsesOf(route, catalog),
  };
}

/** One parameter per property of the route's params (in: path) or query (in: query) object. */
function parametersOf(route: RouteDefinition, place: "path" | "query", catalog: SchemaCatalog): OpenAPIV3_1.ParameterObject[] {
  const templated = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string);
  const schema = place === "path" ? route.params : route.query;
  if (!schema) {
    if (place === "path" && templated.length > 0) throw new Error(`openapi: ${route.id} has path parameters (${templated.join(", ")}) but no params schema`);
    return [];
  }
  const json = catalog.render(schema, "input");
  const properties = json.properties as Record<string, JsonSchema> | undefined;
  if (json.type !== "object" || !properties) throw new Error(`openapi: the ${place} schema of ${route.id} must be an object with properties`);
  const required = new Set((json.required as string[] | undefined) ?? []);
  if (place === "path") {
    const declared = Object.keys(properties);
    const missing = templated.filter((name) => !declared.includes(name));
    const extra = declared.filter((name) => !templated.includes(name));
    if (missing.length > 0 || extra.length > 0) throw new Error(`openapi: the params schema of ${route.id} does not match its path ${route.path}`);
  }
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    // openapi-types declares a 3.1 parameter's schema with the 3.0 Schema Object type.
    return {
      name,
      in: place,
      required: place === "path" || required.has(name),
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    } as OpenAPIV3_1.ParameterObject;
  });
}

function requestBodyOf(route: RouteDefinition, catalog: SchemaCatalog): OpenAPIV3_1.RequestBodyObject | undefined {
  if (!route.body) return undefined;
  // A missing body parses as `{}` (parseRoute), so a body that accepts `{}` may be left out.
  const required = !route.body.safeParse({}).success;
  const schema = catalog.render(route.body, "input");
  if (route.bodyType !== "multipart") return { required, content: { "application/json": { schema: schema as OpenAPIV3_1.SchemaObject } } };

  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (schema.type !== "object" || !properties) throw new Error(`openapi: the multipart body of ${route.id} must be an object with properties`);
  for (const [name, file] of Object.entries(route.files ?? {})) {
    // OpenAPI 3.1 states raw bytes with contentMediaType; `format: binary` is what 3.0 tools read.
    properties[name] = { type: "string", format: "binary", contentMediaType: "application/octet-stream", description: file.description };
  }
  return { required: true, content: { "multipart/form-data": { schema: schema as OpenAPIV3_1.SchemaObject } } };
}

function responsesOf(route: RouteDefinition, catalog: SchemaCatalog): OpenAPIV3_1.ResponsesObject {
  const responses: Record<string, OpenAPIV3_1.ResponseObject | OpenAPIV3_1.ReferenceObject> = {};
  for (const answer of [route.success, ...(route.alternatives ?? [])]) {
    const key = String(answer.status);
    const existing = responses[key] as OpenAPIV3_1.ResponseObject | undefined;
    const content = contentOf(answer, catalog);
    if (!existing) {
      responses[key] = { description: answer.description, ...(content ? { content } : {}) };
    } else {
      // Two answers with one status (JSON, or a stream when asked): one response, two media types.
      existing.description = `${existing.description}. ${answer.description}`;
      if (content) existing.content = { ...existing.content, ...content };
    }
  }
  const errors = [...new Set([...route.errors, ...COMMON_ERRORS])].sort((a, b) => a - b);
  for (const status of errors) responses[String(status)] = { $ref: `#/components/responses/${errorResponse(status).name}` };
  return responses;
}

function contentOf(answer: RouteAnswer, catalog: SchemaCatalog): Record<string, OpenAPIV3_1.MediaTypeObject> | undefined {
  const contentType = answer.contentType ?? "application/json";
  if (answer.schema) return { [contentType]: { schema: catalog.render(answer.schema as z.ZodType, "output") as OpenAPIV3_1.SchemaObject } };
  if (contentType === "text/event-stream") {
    return { [contentType]: { schema: { type: "string", description: "`event:`, `id:` and `data:` lines, each event's data one JSON object" } } };
  }
  return undefined;
}

function errorResponse(status: number): { name: string; description: string; retryAfter?: boolean } {
  return ERROR_RESPONSES[status] ?? { name: `Error${status}`, description: `HTTP ${status}` };
}
