import { randomBytes } from "node:crypto";
import { DelayedError, Worker, type Job, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createQueue, createWorkerConnection, dispatch, QUEUE_NAME } from "./queue.ts";
import { claimWakeRequest, wakeJob } from "./wake-requests.ts";

const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const SLEEP_MS = 60_000;

let connection: Redis;
let queue: Queue;
let worker: Worker | undefined;

beforeEach(() => {
  connection = createWorkerConnection(url);
  queue = createQueue(connection, `test-wake-${randomBytes(4).toString("hex")}`);
});
afterEach(async () => {
  await worker?.close();
  worker = undefined;
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  connection.disconnect();
});

/**
 * A step that found its dependency not ready and goes to sleep for a minute, as the runner does:
 * moveToDelayed, then a look for a wake-up that came while it ran. `during` runs while the step is
 * active, `afterSleep` once it sleeps. Resolves with each run's start time.
 */
function runSteps(during: () => Promise<void>, afterSleep: () => Promise<void> = async () => {}) {
  const runs: number[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  worker = new Worker(
    QUEUE_NAME,
    async (job: Job, token?: string) => {
      runs.push(Date.now());
      if (runs.length > 1) return;
      await during();
      await job.moveToDelayed(Date.now() + SLEEP_MS, token);
      await afterSleep();
      await claimWakeRequest(queue, "item.index", "job_1");
      release();
      throw new DelayedError();
    },
    { connection, prefix: queue.opts.prefix!, concurrency: 1 },
  );
  worker.on("error", () => {});
  return { runs, released };
}

describe("waking a job that waits for a dependency", () => {
  it("a wake-up that comes while the step runs is not lost: the step runs again at once, not after its sleep", async () => {
    const { runs, released } = runSteps(() => wakeJob(queue, "item.index", "job_1"));
    await dispatch(queue, { id: "job_1", type: "item.index" });
    await released;
    await expect.poll(() => runs.length, { timeout: 10_000 }).toBe(2);
    expect(runs[1]! - runs[0]!).toBeLessThan(SLEEP_MS / 2);
  });

  it("a wake-up that comes once the step sleeps runs it at once; none at all leaves it asleep", async () => {
    const { runs, released } = runSteps(async () => {});
    await dispatch(queue, { id: "job_1", type: "item.index" });
    await released;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(runs.length).toBe(1);
    expect(await (await queue.getJob("item.index.job_1"))!.isDelayed()).toBe(true);

    await wakeJob(queue, "item.index", "job_1");
    await expect.poll(() => runs.length, { timeout: 10_000 }).toBe(2);
  });
});
