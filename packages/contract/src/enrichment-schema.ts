import { AppError, type FieldError } from "./errors.ts";

/**
 * The platform's rules for an `enrichment_config.json_schema` (the metadata extracted per shot):
 * a JSON Schema subset whose root is an object and whose every property, nested ones included,
 * has a description. Anything else is refused with 422 rather than silently ignored.
 */
const allowedKeywords = new Set([
  "type",
  "title",
  "description",
  "enum",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "prefixItems",
  "minItems",
  "maxItems",
  "minimum",
  "maximum",
  "format",
]);

function checkNode(node: unknown, path: string, isProperty: boolean, errors: FieldError[]): void {
  if (!node || typeof node !== "object" || Array.isArray(node)) {
    errors.push({ field: path, message: "must be a schema object" });
    return;
  }
  const schema = node as Record<string, unknown>;
  for (const key of Object.keys(schema)) {
    if (!allowedKeywords.has(key)) errors.push({ field: `${path}.${key}`, message: `the keyword ${key} is not supported` });
  }
  if (schema.type !== undefined && typeof schema.type !== "string") errors.push({ field: `${path}.type`, message: "must be a single type name, not a list" });
  if (schema.additionalProperties !== undefined && typeof schema.additionalProperties !== "boolean") {
    errors.push({ field: `${path}.additionalProperties`, message: "must be a boolean" });
  }
  if (isProperty && (typeof schema.description !== "string" || schema.description.trim() === "")) {
    errors.push({ field: `${path}.description`, message: "every property needs a description" });
  }
  if (schema.properties !== undefined) {
    if (!schema.properties || typeof schema.properties !== "object" || Array.isArray(schema.properties)) {
      errors.push({ field: `${path}.properties`, message: "must be an object" });
    } else {
      for (const [name, child] of Object.entries(schema.properties)) checkNode(child, `${path}.properties.${name}`, true, errors);
    }
  }
  if (schema.items !== undefined) checkNode(schema.items, `${path}.items`, false, errors);
  if (Array.isArray(schema.prefixItems)) schema.prefixItems.forEach((child, i) => checkNode(child, `${path}.prefixItems.${i}`, false, errors));
}

/** The problems with an enrichment JSON schema, empty when the platform would accept it. */
export function enrichmentSchemaErrors(jsonSchema: unknown, path = "ingestion_config.enrichment_config.json_schema"): FieldError[] {
  const errors: FieldError[] = [];
  checkNode(jsonSchema, path, false, errors);
  if ((jsonSchema as { type?: unknown } | null)?.type !== "object") errors.unshift({ field: `${path}.type`, message: 'the root type must be "object"' });
  return errors;
}

/** Throws the platform's 422 when an ingestion config carries a JSON schema it would refuse. */
export function assertValidIngestionConfig(config: { enrichment_config: { type: string; json_schema?: unknown } } | undefined): void {
  if (config?.enrichment_config.type !== "json_schema") return;
  const errors = enrichmentSchemaErrors(config.enrichment_config.json_schema);
  const first = errors[0];
  if (!first) return;
  throw new AppError({
    code: "knowledge_store/invalid_enrichment_schema",
    platformCode: "parameter_invalid",
    status: 422,
    message: `The enrichment JSON schema is not supported: ${first.field}: ${first.message}.`,
    errors,
  });
}
