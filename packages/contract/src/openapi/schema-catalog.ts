import { z } from "zod";

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as zod renders it. */
export type JsonSchema = Record<string, unknown>;

/** Request schemas are documented as clients write them, answers as the server sends them. */
export type SchemaIo = "input" | "output";

export interface SchemaCatalogOptions {
  /** Schemas that become `components.schemas` entries, with their names. */
  names: ReadonlyMap<z.ZodType, string>;
  /**
   * Schemas whose input a zod preprocess widens beyond what its inner schema says (zod can only
   * render the inner one), mapped to a schema describing what clients may really send.
   */
  documentedInputs?: ReadonlyMap<z.ZodType, z.ZodType>;
  /** Descriptions for schemas, e.g. stating in words a refinement JSON Schema cannot express. */
  descriptions?: ReadonlyMap<z.core.$ZodType, string>;
  /** Throw on a schema JSON Schema cannot express (a custom type, a bigint) instead of rendering `{}`. */
  strict?: boolean;
}

export interface SchemaCatalog {
  /** Renders a schema; named ones inside it (and it, if named) become `$ref`s to `components.schemas`. */
  render(schema: z.ZodType, io: SchemaIo): JsonSchema;
  /**
   * The `components.schemas` of everything rendered so far. A named schema whose request form differs
   * from its answer form (defaults, transforms) appears twice: `Name` for answers, `NameInput` for
   * requests. Rewrites the `$ref`s of every schema `render` returned, so call it once, at the end.
   */
  components(): Record<string, JsonSchema>;
}

const DEFS_PREFIX = "#/$defs/";
const COMPONENTS_PREFIX = "#/components/schemas/";

/**
 * Renders zod schemas to JSON Schema with zod's own `z.toJSONSchema`, sharing named schemas as
 * components. Each schema is rendered alone (named ones come back in its `$defs`), then the `$defs`
 * of every rendering are merged, per direction, into one set of components.
 */
export function createSchemaCatalog(options: SchemaCatalogOptions): SchemaCatalog {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of options.names) registry.add(schema, { id });
  const documentedInputs = new Map([...(options.documentedInputs ?? [])].flatMap(([schema, documented]) => {
    const name = options.names.get(schema);
    return name ? [[name, documented] as const] : [];
  }));
  const defs: Record<SchemaIo, Map<string, JsonSchema>> = { input: new Map(), output: new Map() };
  const rendered: Array<{ json: JsonSchema; io: SchemaIo }> = [];

  function toJson(schema: z.ZodType, io: SchemaIo): JsonSchema {
    const json = z.toJSONSchema(schema, {
      metadata: registry,
      io,
      target: "draft-2020-12",
      unrepresentable: options.strict ? "throw" : "any",
      override: ({ zodSchema, jsonSchema }) => {
        // A plain zod object strips unknown keys, so zod declares answers closed
        // (`additionalProperties: false`). Answers gain fields over time and clients must ignore
        // them, so only a schema that really refuses extra keys (strictObject) says so.
        const description = options.descriptions?.get(zodSchema);
        if (description) jsonSchema.description = description;
        const def = zodSchema._zod.def;
        if (io === "output" && def.type === "object" && !("catchall" in def && def.catchall) && jsonSchema.additionalProperties === false) {
          delete jsonSchema.additionalProperties;
        }
      },
    }) as JsonSchema;
    delete json.$schema;
    const found = (json.$defs ?? {}) as Record<string, JsonSchema>;
    delete json.$defs;
    for (const [name, def] of Object.entries(found)) {
      const documented = io === "input" ? documentedInputs.get(name) : undefined;
      if (documented && !defs.input.has(name)) {
        defs.input.set(name, {}); // a placeholder, so the rendering below does not come back here
        defs.input.set(name, toJson(documented, "input"));
      } else if (!documented) {
        defs[io].set(name, def);
      }
    }
    dropSafeIntegerBounds(json);
    return json;
  }

  return {
    render(schema, io) {
      const json = toJson(schema, io);
      rendered.push({ json, io });
      return json;
    },

    components() {
      for (const map of Object.values(defs)) for (const def of map.values()) dropSafeIntegerBounds(def);
      const divergent = divergentNames(defs.input, defs.output);
      const finalName = (io: SchemaIo, name: string) => (io === "input" && divergent.has(name) ? `${name}Input` : name);
      const schemas: Record<string, JsonSchema> = {};
      for (const io of ["output", "input"] as const) {
        for (const [name, def] of defs[io]) {
          const target = finalName(io, name);
          if (target in schemas) {
            if (io === "input" && target === name) continue; // the same in both directions: one component
            throw new Error(`openapi: two schemas are named ${target}`);
          }
          schemas[target] = def;
        }
      }
      for (const io of ["output", "input"] as const) {
        for (const def of defs[io].values()) rewriteRefs(def, (name) => finalName(io, name));
      }
      for (const { json, io } of rendered) rewriteRefs(json, (name) => finalName(io, name));
      return Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
    },
  };
}

/**
 * Names whose request form differs from their answer form: their own JSON differs, or they refer
 * (directly or not) to a name that does. Only names rendered in both directions can diverge.
 */
function divergentNames(input: ReadonlyMap<string, JsonSchema>, output: ReadonlyMap<string, JsonSchema>): Set<string> {
  const divergent = new Set<string>();
  for (const [name, def] of input) {
    const other = output.get(name);
    if (other && JSON.stringify(def) !== JSON.stringify(other)) divergent.add(name);
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, def] of input) {
      if (divergent.has(name) || !output.has(name)) continue;
      if (refsOf(def).some((ref) => divergent.has(ref))) {
        divergent.add(name);
        grew = true;
      }
    }
  }
  return divergent;
}

function refsOf(json: unknown, found: string[] = []): string[] {
  if (Array.isArray(json)) for (const item of json) refsOf(item, found);
  else if (json && typeof json === "object") {
    for (const [key, value] of Object.entries(json)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith(DEFS_PREFIX)) found.push(value.slice(DEFS_PREFIX.length));
      else refsOf(value, found);
    }
  }
  return found;
}

function rewriteRefs(json: unknown, rename: (name: string) => string): void {
  if (Array.isArray(json)) for (const item of json) rewriteRefs(item, rename);
  else if (json && typeof json === "object") {
    const record = json as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith(DEFS_PREFIX)) {
        record.$ref = COMPONENTS_PREFIX + rename(decodeURIComponent(value.slice(DEFS_PREFIX.length)));
      } else rewriteRefs(value, rename);
    }
  }
}

/** `z.int()` states ±2^53-1 as its bounds: true of every JSON number a client can send, so noise. */
function dropSafeIntegerBounds(json: unknown): void {
  if (Array.isArray(json)) for (const item of json) dropSafeIntegerBounds(item);
  else if (json && typeof json === "object") {
    const record = json as Record<string, unknown>;
    if (record.maximum === Number.MAX_SAFE_INTEGER) delete record.maximum;
    if (record.minimum === Number.MIN_SAFE_INTEGER) delete record.minimum;
    for (const value of Object.values(record)) dropSafeIntegerBounds(value);
  }
}
