import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { OpenAPIV3_1 } from "openapi-types";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { routeTable } from "../routes/index.ts";
import type { RouteDefinition } from "../routes/index.ts";
import { buildOpenApiDocument, ORIGIN_EXTENSION } from "./index.ts";

type Json = Record<string, any>;

/** Every `$ref` string in a JSON value. */
function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string") found.push(child);
      else refsIn(child, found);
    }
  }
  return found;
}

describe("buildOpenApiDocument", () => {
  // strict: a schema zod cannot render fails the build instead of becoming `{}`.
  let document: OpenAPIV3_1.Document;
  let json: Json;
  const operation = (path: string, method: string): Json => json.paths[path][method];
  const schema = (name: string): Json => json.components.schemas[name];

  beforeAll(() => {
    document = buildOpenApiDocument({ strict: true });
    json = document as Json;
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(document)));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("documents every operation of the route table, with its method, and nothing else", () => {
    const documented = Object.entries(json.paths).flatMap(([path, item]) => Object.keys(item as Json).map((method) => `${method.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(routeTable.map((route) => `${route.method.toUpperCase()} ${route.path}`).sort());
    for (const route of routeTable) {
      expect(operation(route.path, route.method)).toMatchObject({ operationId: route.id, summary: route.summary, tags: [route.tag], [ORIGIN_EXTENSION]: route.origin });
    }
  });

  it("resolves every $ref inside the document", () => {
    const refs = [...new Set(refsIn(json))];
    expect(refs.length).toBeGreaterThan(0);
    const missing = refs.filter((ref) => {
      const [, section, name] = /^#\/components\/(schemas|responses)\/(.+)$/.exec(ref) ?? [];
      return !section || !name || !json.components[section][name];
    });
    expect(missing).toEqual([]);
  });

  describe("as JSON Schema 2020-12 (the OpenAPI validator does not look inside schemas)", () => {
    const COMPONENTS = "urn:reelay:components";
    let ajv: Ajv2020;
    /** A schema of the document, its `$ref`s pointing at the components registered with ajv. */
    const compile = (schema: unknown) => ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${COMPONENTS}#/$defs/`)));
    const bodySchema = (path: string, method: string) => operation(path, method).requestBody.content["application/json"].schema;

    beforeAll(() => {
      ajv = new Ajv2020({ strict: true, allowUnionTypes: true, validateFormats: false });
      ajv.addSchema(JSON.parse(JSON.stringify({ $id: COMPONENTS, $defs: json.components.schemas }).replaceAll('"#/components/schemas/', '"#/$defs/')));
    });

    it("every schema compiles in strict mode", () => {
      const inline = Object.values(json.paths).flatMap((item) =>
        Object.values(item as Json).flatMap((op: Json) => [
          ...((op.parameters ?? []) as Json[]).map((p) => p.schema),
          ...Object.values((op.requestBody?.content ?? {}) as Json).map((media) => media.schema),
          ...Object.values(op.responses as Json).flatMap((response) => Object.values((response.content ?? {}) as Json).map((media) => media.schema)),
        ]),
      );
      expect(inline.length).toBeGreaterThan(50);
      for (const schema of inline) expect(() => compile(schema)).not.toThrow();
    });

    it("accepts requests that the route's zod schema accepts, in the shapes clients write", () => {
      const samples: Array<[string, string, string, unknown]> = [
        ["knowledge_stores.create", "/knowledge-stores", "post", { name: "s", ingestion_config: { enrichment_config: { description: "people" } } }],
        ["knowledge_stores.create", "/knowledge-stores", "post", { name: "s", ingestion_config: { enrichment_config: { type: "json_schema", json_schema: { type: "object", properties: {} } } } }],
        ["knowledge_stores.update", "/knowledge-stores/{knowledge_store_id}", "patch", { metadata: { dropped: null } }],
        ["knowledge_stores.search", "/knowledge-stores/{knowledge_store_id}/search", "post", { query: { text: "a dog" }, filter: { asset_type: { eq: "video" } } }],
        ["responses.create", "/responses", "post", { tools: [{ type: "knowledge_store", knowledge_store_id: "ks_1" }], input: [{ type: "message", role: "user", content: "hi" }] }],
        ["webhooks.recover", "/webhooks/{webhook_id}/recover", "post", { since: "2025-01-01T00:00:00Z" }],
      ];
      for (const [id, path, method, body] of samples) {
        const route = routeTable.find((r) => r.id === id) as RouteDefinition;
        expect(route.body?.safeParse(body).success, id).toBe(true);
        const validate = compile(bodySchema(path, method));
        expect(validate(body), `${id}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
      expect(compile(bodySchema("/knowledge-stores", "post"))({ description: "no name" })).toBe(false);
    });

    it("describes answers as the zod schemas produce them", () => {
      const store = routeTable.find((r) => r.id === "knowledge_stores.retrieve")?.success.schema?.parse({
        _id: "ks_1",
        name: "s",
        item_count: 0,
        created_at: "2025-01-01T00:00:00Z",
        updated_at: "2025-01-01T00:00:00Z",
        ingestion_config: { enrichment_config: { description: "people" } },
        extra: "a field added later",
      });
      const validate = compile(operation("/knowledge-stores/{knowledge_store_id}", "get").responses["200"].content["application/json"].schema);
      expect(validate(store), JSON.stringify(validate.errors)).toBe(true);
      expect(validate({ ...(store as object), extra: "a field added later" })).toBe(true);
    });
  });

  it("marks Reelay's own operations with x-reelay-origin", () => {
    expect(operation("/jobs/{job_id}", "get")[ORIGIN_EXTENSION]).toBe("reelay");
    expect(operation("/responses/{response_id}", "get")[ORIGIN_EXTENSION]).toBe("reelay");
    expect(operation("/responses", "post")[ORIGIN_EXTENSION]).toBe("platform");
    expect(operation("/assets/{asset_id}", "delete")[ORIGIN_EXTENSION]).toBe("platform");
  });

  it("asks for the x-api-key header on every operation", () => {
    expect(json.components.securitySchemes.ApiKey).toEqual({ type: "apiKey", in: "header", name: "x-api-key" });
    expect(json.security).toEqual([{ ApiKey: [] }]);
  });

  describe("parameters", () => {
    it("come from the params schema (in: path, required) and the query schema (in: query)", () => {
      const parameters = operation("/knowledge-stores/{knowledge_store_id}/items", "get").parameters as Json[];
      expect(parameters.map((p) => `${p.in}:${p.name}:${p.required}`)).toEqual([
        "path:knowledge_store_id:true",
        "query:page:false",
        "query:page_limit:false",
        "query:sort_by:false",
        "query:sort_option:false",
        "query:status:false",
      ]);
    });

    it("show a coerced query value as what the client writes, with its default", () => {
      const [page, pageLimit] = operation("/assets", "get").parameters as Json[];
      expect(page).toMatchObject({ name: "page", schema: { type: "integer", minimum: 1, default: 1 } });
      expect(page?.schema).not.toHaveProperty("maximum"); // z.int()'s 2^53-1 says nothing
      expect(pageLimit).toMatchObject({ name: "page_limit", schema: { type: "integer", maximum: 50, default: 10 } });
      const force = (operation("/assets/{asset_id}", "delete").parameters as Json[]).find((p) => p.name === "force");
      expect(force?.schema).toEqual({ type: "string", enum: ["true", "false"] });
    });

    it("show a repeated query key as an array", () => {
      const status = (operation("/jobs", "get").parameters as Json[]).find((p) => p.name === "status");
      expect(status?.schema).toEqual({ type: "array", items: { $ref: "#/components/schemas/JobStatus" } });
    });
  });

  describe("request bodies", () => {
    it("are JSON, shared as components named as in the code, required unless {} is a valid body", () => {
      expect(operation("/knowledge-stores", "post").requestBody).toEqual({
        required: true,
        content: { "application/json": { schema: { $ref: "#/components/schemas/CreateKnowledgeStoreBody" } } },
      });
      expect(operation("/knowledge-stores/{knowledge_store_id}/item-collections/{collection_id}", "patch").requestBody.required).toBe(false);
    });

    it("POST /assets > is a multipart form with its text fields and a binary file part", () => {
      const body = operation("/assets", "post").requestBody;
      const form = body.content["multipart/form-data"].schema;
      expect(Object.keys(body.content)).toEqual(["multipart/form-data"]);
      expect(form.required).toEqual(["method"]);
      expect(form.properties.method).toEqual({ type: "string", enum: ["direct", "url"] });
      expect(form.properties.user_metadata).toMatchObject({ type: "string" });
      expect(form.properties.enable_hls).toEqual({ type: "boolean" });
      expect(form.properties.file).toMatchObject({ type: "string", format: "binary", contentMediaType: "application/octet-stream" });
    });

    it("show the untagged (April) enrichment config the preprocess accepts, not only the tagged form", () => {
      expect(schema("CreateKnowledgeStoreBody").properties.ingestion_config).toEqual({ $ref: "#/components/schemas/IngestionConfigInput" });
      expect(schema("IngestionConfigInput").properties.enrichment_config).toEqual({ $ref: "#/components/schemas/EnrichmentConfigInput" });
      const forms = (schema("EnrichmentConfigInput").anyOf as Json[]).map((form) => form.required);
      expect(forms).toEqual([["type", "description"], ["type", "json_schema"], ["description"], ["json_schema"]]);
      // Answers always carry the tagged form.
      expect(schema("KnowledgeStore").properties.ingestion_config).toEqual({ $ref: "#/components/schemas/IngestionConfig" });
      expect((schema("EnrichmentConfig").oneOf as Json[]).map((form) => form.required)).toEqual([["type", "description"], ["type", "json_schema"]]);
    });

    it("show POST /responses's body before its transform: the store as knowledge_store_id or as a tool", () => {
      const body = schema("CreateResponseBody");
      expect(body.type).toBe("object");
      expect(body.required).toEqual(["input"]);
      expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(["knowledge_store_id", "tools", "input", "stream", "background"]));
      expect(body.description).toMatch(/exactly one `knowledge_store` tool/);
    });

    it("show a nullable metadata value PATCH accepts, though the store answers strings only", () => {
      expect(schema("UpdateKnowledgeStoreBody").properties.metadata.additionalProperties).toEqual({ type: ["string", "null"] });
    });
  });

  describe("responses", () => {
    it("give the success status with its schema, then the route's errors and the common ones", () => {
      const responses = operation("/assets/{asset_id}", "get").responses;
      expect(Object.keys(responses)).toEqual(["200", "400", "401", "404", "429", "500", "503"]);
      expect(responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/AssetDetail" });
      expect(responses["404"]).toEqual({ $ref: "#/components/responses/NotFound" });
    });

    it("give no content for a 204", () => {
      expect(operation("/assets/{asset_id}", "delete").responses["204"]).toEqual({ description: "Deleted" });
    });

    it("give an event stream for SSE, alongside the JSON answer when the stream is optional", () => {
      const events = operation("/jobs/{job_id}/events", "get").responses;
      expect(Object.keys(events["200"].content)).toEqual(["text/event-stream"]);
      expect(events["204"]).toBeDefined();
      const answer = operation("/responses", "post").responses;
      expect(Object.keys(answer["200"].content)).toEqual(["application/json", "text/event-stream"]);
      expect(answer["202"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/GatewayResponse" });
    });

    it("describe errors with the one error body: the platform's code and message plus the RFC 9457 members", () => {
      const errorBody = schema("ErrorBody");
      expect(errorBody.required).toEqual(["code", "message"]);
      expect(Object.keys(errorBody.properties)).toEqual(["code", "message", "type", "title", "status", "detail", "request_id", "errors"]);
      for (const response of Object.values(json.components.responses) as Json[]) {
        expect(response.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/ErrorBody" });
      }
      expect(json.components.responses.TooManyRequests.headers["Retry-After"]).toBeDefined();
      expect(json.components.responses.ServiceUnavailable.headers["Retry-After"]).toBeDefined();
    });

    it("leave answers open to fields added later (no additionalProperties: false)", () => {
      expect(schema("AssetDetail")).not.toHaveProperty("additionalProperties");
      expect(schema("GatewayResponse").additionalProperties).toEqual({});
    });
  });

  it("takes the server URL, title and version from its options", () => {
    const custom = buildOpenApiDocument({ serverUrl: "https://gateway.test/v1.3", title: "Gateway", version: "2.0.0" });
    expect(custom.servers).toEqual([{ url: "https://gateway.test/v1.3" }]);
    expect(custom.info).toMatchObject({ title: "Gateway", version: "2.0.0" });
    expect(document.servers).toEqual([{ url: "/v1.3" }]);
  });

  it("when a route's path names a parameter its params schema lacks > refuses to build", () => {
    const broken: RouteDefinition = {
      ...(routeTable.find((route) => route.id === "assets.retrieve") as RouteDefinition),
      params: z.object({ id: z.string() }),
    };
    expect(() => buildOpenApiDocument({ routes: [broken] })).toThrow(/does not match its path/);
  });

  it("when a schema cannot be rendered > strict refuses to build, the default documents it as any value", () => {
    const route: RouteDefinition = {
      ...(routeTable.find((r) => r.id === "knowledge_stores.create") as RouteDefinition),
      body: z.object({ when: z.date().transform((d) => d.toISOString()), big: z.bigint() }),
    };
    expect(() => buildOpenApiDocument({ routes: [route], strict: true })).toThrow();
    const lenient = buildOpenApiDocument({ routes: [route] }) as Json;
    expect(lenient.paths["/knowledge-stores"].post.requestBody.content["application/json"].schema.properties.big).toEqual({});
  });
});
