import { describe, expect, it } from "vitest";
import { bullJobId, jobCatalog, jobTypes, payloadFor } from "./catalog.ts";
import { nextPollDelay } from "./poll-schedule.ts";

describe("nextPollDelay", () => {
  const schedule = { initialMs: 1_000, factor: 2, maxMs: 10_000, jitter: 0 };

  it("grows geometrically from the initial delay and stops at the cap", () => {
    expect([0, 1, 2, 3, 4, 10].map((polls) => nextPollDelay(polls, schedule))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });

  it("spreads delays by the jitter fraction in both directions", () => {
    const jittered = { ...schedule, jitter: 0.2 };
    expect(nextPollDelay(0, jittered, () => 0)).toBe(800);
    expect(nextPollDelay(0, jittered, () => 1)).toBe(1_200);
  });
});

describe("the job catalog", () => {
  it("derives BullMQ ids from the job row's id, without the ':' BullMQ forbids", () => {
    for (const type of jobTypes) {
      const id = bullJobId(type, "job_0190-abc");
      expect(id).toBe(`${type}.job_0190-abc`);
      expect(id).not.toContain(":");
    }
  });

  it("hands every handler a payload naming its job row's resource", () => {
    for (const type of jobTypes) {
      const payload = payloadFor(type, "res_1");
      const definition = jobCatalog[type];
      expect(definition.payload.safeParse(payload).success).toBe(true);
      expect((definition.resourceId as (p: unknown) => string)(payload)).toBe("res_1");
    }
  });
});
