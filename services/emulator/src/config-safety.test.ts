import { parseEnv } from "@reelay/contract";
import { describe, expect, it } from "vitest";
import { EmulatorConfig, parseEmulatorConfig } from "./config.ts";
import { startEmulator } from "./start-emulator.ts";

describe("emulator configuration > exposure", () => {
  it("when EMULATOR_HOST is not loopback and EMULATOR_API_KEY is unset > refuses, naming the variable", () => {
    for (const host of ["0.0.0.0", "::", "192.168.1.10", "emulator"]) {
      expect(() => parseEnv(EmulatorConfig, { EMULATOR_HOST: host }, "emulator")).toThrow(/EMULATOR_API_KEY: must be set when EMULATOR_HOST/);
    }
    expect(() => parseEmulatorConfig({ EMULATOR_HOST: "0.0.0.0", EMULATOR_API_KEY: "" })).toThrow(/EMULATOR_API_KEY/);
  });

  it("accepts a non-loopback host with a key, and loopback hosts without one", () => {
    expect(parseEmulatorConfig({ EMULATOR_HOST: "0.0.0.0", EMULATOR_API_KEY: "k" })).toMatchObject({ host: "0.0.0.0", apiKey: "k" });
    for (const host of ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"]) {
      expect(parseEmulatorConfig({ EMULATOR_HOST: host }).host).toBe(host);
    }
  });

  it("startEmulator refuses the same exposure when it comes from options", async () => {
    await expect(startEmulator({ host: "0.0.0.0" })).rejects.toThrow(/EMULATOR_API_KEY must be set when EMULATOR_HOST \(0\.0\.0\.0\)/);
  });
});

describe("emulator configuration > safety defaults", () => {
  it("fetches loopback URLs only, caps downloads at 1 GiB and 4 at once, ffmpeg at 2, and injects no faults", () => {
    expect(parseEmulatorConfig({})).toMatchObject({
      allowPrivateUrls: "loopback",
      maxUrlBytes: 1024 ** 3,
      maxConcurrentDownloads: 4,
      maxConcurrentMedia: 2,
      adminKey: undefined,
      faults: { rules: [] },
    });
  });

  it("reads the safety variables and rejects nonsense", () => {
    const config = parseEmulatorConfig({
      EMULATOR_ALLOW_PRIVATE_URLS: "none",
      EMULATOR_MAX_CONCURRENT_DOWNLOADS: "1",
      EMULATOR_MAX_CONCURRENT_MEDIA: "3",
      EMULATOR_ADMIN_KEY: "secret",
    });
    expect(config).toMatchObject({ allowPrivateUrls: "none", maxConcurrentDownloads: 1, maxConcurrentMedia: 3, adminKey: "secret" });
    expect(() => parseEmulatorConfig({ EMULATOR_ALLOW_PRIVATE_URLS: "some" })).toThrow();
    expect(() => parseEmulatorConfig({ EMULATOR_MAX_CONCURRENT_MEDIA: "0" })).toThrow();
  });
});

describe("emulator configuration > fault variables", () => {
  it("turns each non-zero rate into one rule, with latency first and lost answers on POSTs only", () => {
    const config = parseEmulatorConfig({
      EMULATOR_FAULT_5XX_RATE: "0.1",
      EMULATOR_FAULT_5XX_STATUSES: "502, 503",
      EMULATOR_FAULT_429_RATE: "0.2",
      EMULATOR_FAULT_RETRY_AFTER_S: "3",
      EMULATOR_FAULT_TIMEOUT_RATE: "0.05",
      EMULATOR_FAULT_TIMEOUT_MS: "30000",
      EMULATOR_FAULT_LATENCY_MS: "100-400",
      EMULATOR_FAULT_LOST_ANSWER_RATE: "0.5",
      EMULATOR_FAULT_SEED: "7",
    });
    expect(config.faults).toEqual({
      seed: 7,
      rules: [
        { kind: "latency", rate: 1, ms: [100, 400] },
        { kind: "too_many_requests", rate: 0.2, retry_after_s: 3 },
        { kind: "error_5xx", rate: 0.1, statuses: [502, 503] },
        { kind: "timeout", rate: 0.05, hold_ms: 30000 },
        { kind: "lost_answer", rate: 0.5, as: "bad_gateway", match: { method: "POST" } },
      ],
    });
    expect(parseEmulatorConfig({ EMULATOR_FAULT_LATENCY_MS: "250" }).faults.rules).toEqual([{ kind: "latency", rate: 1, ms: 250 }]);
  });

  it("rejects rates outside 0..1, unknown statuses and inverted latency ranges", () => {
    expect(() => parseEmulatorConfig({ EMULATOR_FAULT_5XX_RATE: "1.5" })).toThrow();
    expect(() => parseEmulatorConfig({ EMULATOR_FAULT_5XX_STATUSES: "500,418" })).toThrow();
    expect(() => parseEmulatorConfig({ EMULATOR_FAULT_LATENCY_MS: "500-100" })).toThrow();
    expect(() => parseEmulatorConfig({ EMULATOR_FAULT_LATENCY_MS: "fast" })).toThrow();
    expect(() => parseEmulatorConfig({ EMULATOR_FAULT_SEED: "-1" })).toThrow();
  });
});
