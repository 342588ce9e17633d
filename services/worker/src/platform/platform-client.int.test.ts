import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "@reelay/emulator";
import { createPlatformClient, REELAY_ID_KEY } from "./platform-client.ts";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, asr: false });
});
afterAll(async () => {
  await emulator?.close();
});

describe("the platform client", () => {
  it("finds an object a crashed run created, past more than a thousand newer ones (twenty-one pages)", async () => {
    const platform = createPlatformClient({ baseUrl: emulator.url, apiKey: "test" });
    const sentAt = new Date();
    await platform.createKnowledgeStore({ reelayId: "ks_crashed", name: "created by the crashed run" });
    // Other tenants keep creating: 1,001 newer stores push ours to page 21 of 50-item pages.
    for (let start = 0; start < 1_001; start += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, 1_001 - start) }, (_, i) =>
          fetch(`${emulator.url}/knowledge-stores`, { method: "POST", headers: { "x-api-key": "test", "content-type": "application/json" }, body: JSON.stringify({ name: `other ${start + i}` }) }),
        ),
      );
    }
    const found = await platform.findKnowledgeStore("ks_crashed", sentAt);
    expect(found?.metadata?.[REELAY_ID_KEY]).toBe("ks_crashed");
    expect(await platform.findKnowledgeStore("ks_never_created", sentAt)).toBeUndefined();
  }, 60_000);

  it("sends a JSON schema's property names exactly as the caller wrote them", async () => {
    const platform = createPlatformClient({ baseUrl: emulator.url, apiKey: "test" });
    const schema = { type: "object", properties: { player_name: { type: "string", description: "who" }, shotClock: { type: "number", description: "s" } } };
    const created = await platform.createKnowledgeStore({ reelayId: "ks_schema", name: "schema", ingestionConfig: { enrichment_config: { type: "json_schema", json_schema: schema } } });
    const stored = (await (await fetch(`${emulator.url}/knowledge-stores/${created._id}`, { headers: { "x-api-key": "test" } })).json()) as { ingestion_config: unknown };
    expect(stored.ingestion_config).toEqual({ enrichment_config: { type: "json_schema", json_schema: schema } });
  });

  it("classifies refusals: a bad request is the client's, a refused key the operator's, never retried as the same", async () => {
    const guarded = await startEmulator({ port: 0, asr: false, apiKey: "right" });
    try {
      const wrongKey = createPlatformClient({ baseUrl: guarded.url, apiKey: "wrong" });
      await expect(wrongKey.getAsset("0123456789abcdef01234567")).rejects.toMatchObject({ kind: "operator", status: 401 });
      const rightKey = createPlatformClient({ baseUrl: guarded.url, apiKey: "right" });
      await expect(rightKey.getAsset("0123456789abcdef01234567")).rejects.toMatchObject({ kind: "client", status: 404, code: "resource_not_exist" });
    } finally {
      await guarded.close();
    }
  });
});
