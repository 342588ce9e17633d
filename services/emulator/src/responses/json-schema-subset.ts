import type { FieldError } from "@reelay/contract";

/**
 * A schema node of the JSON Schema subset the emulator answers structured output with: the
 * subset the platform documents for enrichment schemas (platform-contract.md 3.2), minus
 * `prefixItems` and `format`, which the emulator could not honour.
 */
export interface JsonSchema {
  type?: JsonType;
  description?: string;
  title?: string;
  enum?: Array<string | number | boolean>;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
}

export type JsonType = "object" | "array" | "string" | "number" | "integer" | "boolean";

const TYPES = new Set<string>(["object", "array", "string", "number", "integer", "boolean"]);
const KEYWORDS = new Set(["type", "description", "title", "enum", "properties", "required", "additionalProperties", "items", "minItems", "maxItems", "minimum", "maximum"]);
/** Keywords that only make sense on some types; on another type they are a mistake worth reporting. */
const TYPE_OF_KEYWORD: Record<string, JsonType[]> = {
  properties: ["object"],
  required: ["object"],
  additionalProperties: ["object"],
  items: ["array"],
  minItems: ["array"],
  maxItems: ["array"],
  minimum: ["number", "integer"],
  maximum: ["number", "integer"],
};

/**
 * The reasons `schema` falls outside the subset, empty when it is inside. The platform accepts more
 * (`anyOf`, `$ref` into `$defs`, `null`) and says unsupported keywords may yield malformed output;
 * the emulator refuses instead, so a test never passes on output it could not really have checked.
 */
export function jsonSchemaSubsetErrors(schema: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  // A root `$schema` naming the dialect is common boilerplate; it changes nothing here.
  const root = isObject(schema) && typeof schema.$schema === "string" ? Object.fromEntries(Object.entries(schema).filter(([key]) => key !== "$schema")) : schema;
  checkNode(root, path, errors);
  return errors;
}

function checkNode(node: unknown, path: string, errors: FieldError[]): void {
  const fail = (field: string, message: string) => errors.push({ field: field ? `${path}.${field}` : path, message });
  if (!isObject(node)) return void fail("", "must be a schema object");

  for (const key of Object.keys(node)) {
    if (!KEYWORDS.has(key)) fail(key, `the keyword ${key} is not supported; use only ${[...KEYWORDS].join(", ")}`);
  }
  const { type } = node;
  if (type !== undefined && (typeof type !== "string" || !TYPES.has(type))) {
    fail("type", `must be one of ${[...TYPES].join(", ")} (a single type name; null and type lists are not supported)`);
    return;
  }
  if (type === undefined && node.enum === undefined) fail("type", "is required (or an enum)");
  if (typeof type === "string") {
    for (const [key, types] of Object.entries(TYPE_OF_KEYWORD)) {
      if (node[key] !== undefined && !types.includes(type as JsonType)) fail(key, `applies to ${types.join(" or ")} schemas, not ${type}`);
    }
  }
  for (const key of ["description", "title"]) if (node[key] !== undefined && typeof node[key] !== "string") fail(key, "must be a string");
  if (node.additionalProperties !== undefined && typeof node.additionalProperties !== "boolean") fail("additionalProperties", "must be a boolean");

  if (node.enum !== undefined) {
    if (!Array.isArray(node.enum) || node.enum.length === 0) fail("enum", "must be a non-empty array");
    else if (!node.enum.every((value) => fitsType(value, type))) fail("enum", `every value must be a ${type ?? "string, number or boolean"}`);
  }
  checkBounds(node, "minItems", "maxItems", true, fail);
  checkBounds(node, "minimum", "maximum", false, fail);

  if (node.properties !== undefined) {
    if (!isObject(node.properties)) fail("properties", "must be an object of schemas");
    else for (const [name, child] of Object.entries(node.properties)) checkNode(child, `${path}.properties.${name}`, errors);
  }
  if (node.required !== undefined) {
    const names = isObject(node.properties) ? Object.keys(node.properties) : [];
    if (!Array.isArray(node.required) || !node.required.every((name) => typeof name === "string" && names.includes(name))) {
      fail("required", "must list names of properties");
    }
  }
  if (node.items !== undefined) checkNode(node.items, `${path}.items`, errors);
}

function checkBounds(node: Record<string, unknown>, minKey: string, maxKey: string, counts: boolean, fail: (field: string, message: string) => void): void {
  const valid = (value: unknown) => typeof value === "number" && Number.isFinite(value) && (!counts || (Number.isInteger(value) && value >= 0));
  const [min, max] = [node[minKey], node[maxKey]];
  if (min !== undefined && !valid(min)) fail(minKey, counts ? "must be a non-negative integer" : "must be a number");
  if (max !== undefined && !valid(max)) fail(maxKey, counts ? "must be a non-negative integer" : "must be a number");
  if (valid(min) && valid(max) && (min as number) > (max as number)) fail(minKey, `must not exceed ${maxKey}`);
}

function fitsType(value: unknown, type: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case undefined:
      return typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
    default:
      return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
