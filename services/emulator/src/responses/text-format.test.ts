import { AppError } from "@reelay/contract";
import { describe, expect, it } from "vitest";
import { parseTextFormat } from "./text-format.ts";

const schemaFormat = (schema: unknown, extra: Record<string, unknown> = {}) => ({ format: { type: "json_schema", name: "answer", schema, ...extra } });

function refusal(text: Record<string, unknown>): AppError {
  try {
    parseTextFormat(text);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("parseTextFormat", () => {
  it("reads no text, no format and type text as plain text", () => {
    expect(parseTextFormat(undefined)).toEqual({ type: "text" });
    expect(parseTextFormat({})).toEqual({ type: "text" });
    expect(parseTextFormat({ format: { type: "text" } })).toEqual({ type: "text" });
  });

  it("reads the SDK's json_schema format: name, schema, optional description and strict", () => {
    const schema = { type: "object", properties: { duration: { type: "number", description: "seconds" } }, required: ["duration"], additionalProperties: false };
    expect(parseTextFormat(schemaFormat(schema, { description: "facts", strict: true }))).toEqual({ type: "json_schema", name: "answer", description: "facts", schema, strict: true });
  });

  it("accepts every keyword of the subset, and a root $schema", () => {
    const schema = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      title: "Facts",
      properties: {
        scenes: { type: "array", minItems: 1, maxItems: 5, items: { type: "object", properties: { start: { type: "number", minimum: 0 }, count: { type: "integer", maximum: 9 } } } },
        mood: { enum: ["calm", "tense"] },
        kind: { type: "string", enum: ["video", "image"] },
        speech: { type: "boolean" },
      },
    };
    expect(parseTextFormat(schemaFormat(schema))).toMatchObject({ type: "json_schema", schema });
  });

  describe("when the format is malformed > answers 400 parameter_invalid naming the field", () => {
    it.each([
      ["a bare string", { format: "json_schema" }, "text.format"],
      ["an unknown type", { format: { type: "xml" } }, "text.format.type"],
      ["no name", { format: { type: "json_schema", schema: { type: "object" } } }, "text.format.name"],
      ["no schema", { format: { type: "json_schema", name: "x" } }, "text.format.schema"],
      ["the VCS json_schema key", { format: { type: "json_schema", name: "x", json_schema: { type: "object" } } }, "text.format.schema"],
      ["a non-boolean strict", schemaFormat({ type: "object" }, { strict: "yes" }), "text.format.strict"],
    ])("%s", (_case, text, field) => {
      const error = refusal(text);
      expect(error).toMatchObject({ status: 400, platformCode: "parameter_invalid" });
      expect(error.errors?.[0]?.field).toBe(field);
    });
  });

  describe("when the schema is outside the subset > answers 400 parameter_invalid naming the keyword", () => {
    it.each([
      ["anyOf", { type: "object", properties: { a: { anyOf: [{ type: "string" }] } } }, "text.format.schema.properties.a.anyOf"],
      ["$ref", { type: "object", properties: { a: { $ref: "#/$defs/a" } }, $defs: { a: { type: "string" } } }, "text.format.schema.properties.a.$ref"],
      ["a type list", { type: ["string", "null"] }, "text.format.schema.type"],
      ["the null type", { type: "null" }, "text.format.schema.type"],
      ["pattern", { type: "string", pattern: "^a" }, "text.format.schema.pattern"],
      ["format", { type: "string", format: "date-time" }, "text.format.schema.format"],
      ["prefixItems", { type: "array", prefixItems: [{ type: "string" }] }, "text.format.schema.prefixItems"],
      ["no type", { type: "object", properties: { a: { description: "x" } } }, "text.format.schema.properties.a.type"],
      ["an empty enum", { type: "string", enum: [] }, "text.format.schema.enum"],
      ["an enum value of another type", { type: "string", enum: ["a", 1] }, "text.format.schema.enum"],
      ["minItems above maxItems", { type: "array", items: { type: "string" }, minItems: 3, maxItems: 2 }, "text.format.schema.minItems"],
      ["a negative minItems", { type: "array", items: { type: "string" }, minItems: -1 }, "text.format.schema.minItems"],
      ["minimum on a string", { type: "string", minimum: 1 }, "text.format.schema.minimum"],
      ["required naming no property", { type: "object", properties: {}, required: ["a"] }, "text.format.schema.required"],
      ["a non-boolean additionalProperties", { type: "object", additionalProperties: { type: "string" } }, "text.format.schema.additionalProperties"],
    ])("%s", (_case, schema, field) => {
      const error = refusal(schemaFormat(schema));
      expect(error).toMatchObject({ status: 400, platformCode: "parameter_invalid" });
      expect(error.errors?.map((e) => e.field)).toContain(field);
      expect(error.message).toMatch(/^The text\.format\.schema.* parameter is invalid: /);
    });
  });
});
