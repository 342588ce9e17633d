import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appendResponseEvent,
  readResponseEvents,
  RESPONSE_EVENTS_ENDED_TTL_MS,
  RESPONSE_EVENTS_OPEN_TTL_MS,
  responseEventsKey,
} from "./response-events.ts";

const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `test-${randomBytes(4).toString("hex")}`;
let redis: Redis;
let subscriber: Redis;

beforeAll(() => {
  redis = new Redis(url);
  subscriber = new Redis(url);
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  subscriber.disconnect();
});

describe("a response's event stream in Redis", () => {
  it("keeps entries in order for a reader starting at any time, announces each, and expires once the answer ended", async () => {
    const key = responseEventsKey(prefix, "resp_a");
    const announced: string[] = [];
    subscriber.on("message", (channel: string) => announced.push(channel));
    await subscriber.subscribe(key);

    await appendResponseEvent(redis, prefix, "resp_a", { kind: "event", run: "r1", event: { type: "response.created", sequence_number: 0, response: { id: "resp_a" } } });
    await appendResponseEvent(redis, prefix, "resp_a", { kind: "event", run: "r1", event: { type: "response.output_text.delta", sequence_number: 1, delta: "caf\u00e9" } });
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(RESPONSE_EVENTS_OPEN_TTL_MS - 5_000);

    const all = await readResponseEvents(redis, prefix, "resp_a", "0-0");
    expect(all.map((row) => row.entry)).toEqual([
      { kind: "event", run: "r1", event: { type: "response.created", sequence_number: 0, response: { id: "resp_a" } } },
      { kind: "event", run: "r1", event: { type: "response.output_text.delta", sequence_number: 1, delta: "caf\u00e9" } },
    ]);
    // A reader that has seen the first entry gets only what follows it.
    await appendResponseEvent(redis, prefix, "resp_a", { kind: "end", run: "r1", sequence: 2 });
    const after = await readResponseEvents(redis, prefix, "resp_a", all[0]!.id);
    expect(after.map((row) => row.entry?.kind)).toEqual(["event", "end"]);
    expect(await redis.pttl(key)).toBeLessThanOrEqual(RESPONSE_EVENTS_ENDED_TTL_MS);

    await expect.poll(() => announced.length).toBe(3);
    expect(new Set(announced)).toEqual(new Set([key]));
  });

  it("skips an entry it cannot read, and reads nothing from a stream that does not exist", async () => {
    await redis.xadd(responseEventsKey(prefix, "resp_b"), "*", "entry", "{not json");
    expect(await readResponseEvents(redis, prefix, "resp_b", "0-0")).toEqual([{ id: expect.any(String), entry: undefined }]);
    expect(await readResponseEvents(redis, prefix, "resp_none", "0-0")).toEqual([]);
  });
});
