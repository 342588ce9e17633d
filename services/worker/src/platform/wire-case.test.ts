import { describe, expect, it } from "vitest";
import { toSdkCase, toWireCase } from "./wire-case.ts";

describe("wire case", () => {
  it("turns the SDK's camelCase objects and Dates into the platform's snake_case wire form", () => {
    const sdk = { id: "resp_1", sessionId: "sess_1", createdAt: new Date("2026-11-28T10:00:00Z"), output: [{ content: [{ annotations: [{ startIndex: 1, itemId: "ksi_1" }] }] }], skipped: undefined };
    expect(toWireCase(sdk)).toEqual({ id: "resp_1", session_id: "sess_1", created_at: "2026-11-28T10:00:00.000Z", output: [{ content: [{ annotations: [{ start_index: 1, item_id: "ksi_1" }] }] }] });
  });

  it("turns stored wire bodies back into the SDK's request case", () => {
    expect(toSdkCase({ format: { type: "json_schema", json_schema: { a_b: 1 } } })).toEqual({ format: { type: "json_schema", jsonSchema: { aB: 1 } } });
  });
});
