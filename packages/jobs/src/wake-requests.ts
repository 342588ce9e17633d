import type { Queue } from "bullmq";
import { bullJobId, type JobType } from "./catalog.ts";

/**
 * Waking a job that waits for another resource, without losing the wake-up.
 *
 * A job waiting for a dependency sleeps as a delayed BullMQ job; the relay promotes it when the
 * dependency's event arrives. A job that is running at that moment cannot be promoted, and if its
 * step read the dependency just before the change, it goes back to sleep for its whole back-off
 * (up to minutes) after the wake-up was spent on nothing. So a wake-up that finds the job running
 * leaves a request in Redis, and the runner takes it each time it puts a job to sleep: both sides
 * check after their own write, so whichever comes second sees the other's.
 */

/** How long an unclaimed request lasts: longer than any step runs (its lease is renewed, its lock too). */
const REQUEST_TTL_MS = 10 * 60_000;

const requestKey = (queue: Queue, bullId: string) => queue.toKey(`wake:${bullId}`);

/** Runs the job now if it sleeps; if it is running, asks its runner to not let it sleep. */
export async function wakeJob(queue: Queue, type: JobType, jobId: string): Promise<void> {
  const bullId = bullJobId(type, jobId);
  const job = await queue.getJob(bullId);
  if (!job) return;
  if (await job.isDelayed()) {
    await job.promote().catch(() => undefined);
    return;
  }
  if (!(await job.isActive())) return; // waiting to run (it reads the dependency then), or finished
  const client = await queue.getBackend().client;
  await client.set(requestKey(queue, bullId), "1", { PX: REQUEST_TTL_MS });
  // The run may have gone to sleep between the look above and the request: then wake it here.
  if (await job.isDelayed()) {
    await client.del(requestKey(queue, bullId));
    await job.promote().catch(() => undefined);
  }
}

/**
 * Called by a runner right after it put a job to sleep (moveToDelayed): a wake-up that came while
 * the step ran runs it again at once. Returns whether there was one.
 */
export async function claimWakeRequest(queue: Queue, type: JobType, jobId: string): Promise<boolean> {
  const bullId = bullJobId(type, jobId);
  const client = await queue.getBackend().client;
  if ((await client.del(requestKey(queue, bullId))) === 0) return false;
  const job = await queue.getJob(bullId);
  if (job && (await job.isDelayed())) await job.promote().catch(() => undefined);
  return true;
}
