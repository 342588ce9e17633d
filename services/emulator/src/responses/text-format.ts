import { AppError } from "@reelay/contract";
import type { CreateResponseBody, FieldError } from "@reelay/contract";
import { jsonSchemaSubsetErrors } from "./json-schema-subset.ts";
import type { JsonSchema } from "./json-schema-subset.ts";

/** What `text.format` asks for, as the SDK serialises it (`TextParamFormat`). */
export type TextFormat = { type: "text" } | { type: "json_schema"; name: string; description: string | undefined; schema: JsonSchema; strict: boolean | undefined };

const SHAPE = 'text.format must be {"type": "text"} or {"type": "json_schema", "name": "...", "schema": {...}}';

/**
 * Reads `text.format`: plain text when absent. A malformed format, or a schema outside the subset
 * the emulator can fill (see json-schema-subset.ts), is a 400 `parameter_invalid`.
 */
export function parseTextFormat(text: CreateResponseBody["text"]): TextFormat {
  const format = text?.["format"];
  if (format === undefined || format === null) return { type: "text" };
  if (!isObject(format)) throw invalid([{ field: "text.format", message: SHAPE }]);
  if (format.type === "text") return { type: "text" };
  if (format.type !== "json_schema") throw invalid([{ field: "text.format.type", message: SHAPE }]);

  if (format.schema === undefined && format.json_schema !== undefined) {
    throw invalid([{ field: "text.format.schema", message: "the schema goes in text.format.schema (text.format.json_schema is not the platform's shape)" }]);
  }
  const errors: FieldError[] = [];
  if (typeof format.name !== "string" || format.name.trim() === "") errors.push({ field: "text.format.name", message: "is required: a name for the schema" });
  if (format.description !== undefined && typeof format.description !== "string") errors.push({ field: "text.format.description", message: "must be a string" });
  if (format.strict !== undefined && typeof format.strict !== "boolean") errors.push({ field: "text.format.strict", message: "must be a boolean" });
  if (!isObject(format.schema)) errors.push({ field: "text.format.schema", message: "is required: a JSON schema object" });
  else errors.push(...jsonSchemaSubsetErrors(format.schema, "text.format.schema"));
  if (errors.length > 0) throw invalid(errors);

  return {
    type: "json_schema",
    name: format.name as string,
    description: format.description as string | undefined,
    schema: format.schema as JsonSchema,
    strict: format.strict as boolean | undefined,
  };
}

function invalid(errors: FieldError[]): AppError {
  const first = errors[0] ?? { field: "text.format", message: SHAPE };
  return new AppError({
    code: "response/invalid_text_format",
    platformCode: "parameter_invalid",
    status: 400,
    message: `The ${first.field} parameter is invalid: ${first.message}.`,
    errors,
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
