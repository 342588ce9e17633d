import { describe, expect, it } from "vitest";
import { AppError } from "./errors.ts";
import { assertValidIngestionConfig, enrichmentSchemaErrors } from "./enrichment-schema.ts";

const valid = {
  type: "object",
  properties: {
    speaker: { type: "string", description: "who speaks" },
    tags: { type: "array", description: "labels", items: { type: "string", enum: ["a", "b"] }, maxItems: 5 },
    place: { type: "object", description: "where", properties: { city: { type: "string", description: "city" } }, required: ["city"], additionalProperties: false },
  },
  required: ["speaker"],
};

describe("enrichment JSON schema rules", () => {
  it("accepts the supported subset with a description on every property", () => {
    expect(enrichmentSchemaErrors(valid)).toEqual([]);
  });

  it("names each nested property without a description", () => {
    const schema = { type: "object", properties: { place: { type: "object", description: "where", properties: { city: { type: "string" } } } } };
    expect(enrichmentSchemaErrors(schema, "s").map((e) => e.field)).toEqual(["s.properties.place.properties.city.description"]);
  });

  it("refuses unsupported keywords, type lists, non-boolean additionalProperties and a non-object root", () => {
    const schema = { type: "array", properties: { a: { type: ["string", "null"], description: "a", pattern: "x" } }, additionalProperties: {} };
    expect(enrichmentSchemaErrors(schema, "s").map((e) => e.field)).toEqual(["s.type", "s.additionalProperties", "s.properties.a.pattern", "s.properties.a.type"]);
  });

  it("answers 422 for a refused schema and lets description configs through", () => {
    expect(() => assertValidIngestionConfig({ enrichment_config: { type: "description" } })).not.toThrow();
    expect(() => assertValidIngestionConfig({ enrichment_config: { type: "json_schema", json_schema: valid } })).not.toThrow();
    try {
      assertValidIngestionConfig({ enrichment_config: { type: "json_schema", json_schema: { type: "object", properties: { a: { type: "string" } } } } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ status: 422, platformCode: "parameter_invalid" });
    }
  });
});
