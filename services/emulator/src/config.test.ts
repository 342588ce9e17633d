import { describe, expect, it } from "vitest";
import { parseEmulatorConfig } from "./config.ts";

describe("parseEmulatorConfig", () => {
  it("defaults to loopback port 4010, 1.5 s item stages and any API key", () => {
    expect(parseEmulatorConfig({})).toMatchObject({ port: 4010, host: "127.0.0.1", itemStageMs: 1500, apiKey: undefined, asr: true });
  });

  it("reads the environment variables", () => {
    const config = parseEmulatorConfig({ EMULATOR_PORT: "0", EMULATOR_API_KEY: "k", EMULATOR_ITEM_STAGE_MS: "50", EMULATOR_ASR: "off", EMULATOR_API_KEY_UNUSED: "x" });
    expect(config).toMatchObject({ port: 0, apiKey: "k", itemStageMs: 50, asr: false });
  });

  it("rejects nonsense instead of guessing", () => {
    expect(() => parseEmulatorConfig({ EMULATOR_PORT: "http" })).toThrow();
    expect(() => parseEmulatorConfig({ EMULATOR_ITEM_STAGE_MS: "-1" })).toThrow();
  });
});
