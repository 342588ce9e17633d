import { QueueEvents } from "bullmq";
import { createWorkerConnection, QUEUE_NAME } from "@reelay/jobs";

/**
 * How late BullMQ jobs run: a `delayed` event carries the time a job is due, and a fresh job is
 * due when its `waiting` event was written (stream ids carry Redis's clock, on this machine); the
 * job's next `active` event says when a worker took it. Lateness is the difference; it includes
 * promotion from the delayed set and any wait for a free worker slot. Recorded between `start()`
 * and `stop()`: every job taken in that time (whenever it was due, so a backlog from before
 * counts), and every job overdue and still not taken at `stop()`, with its lateness so far (a
 * lower bound).
 */
export async function watchPollLateness(redisUrl: string, prefix: string) {
  const connection = createWorkerConnection(redisUrl);
  const events = new QueueEvents(QUEUE_NAME, { connection, prefix });
  const dueAt = new Map<string, number>();
  let recording = false;
  const lateMs: number[] = [];
  const at = (streamId: string) => Number(streamId.split("-")[0]);
  events.on("delayed", ({ jobId, delay }) => {
    dueAt.set(jobId, Number(delay));
  });
  // Also written when a delayed job is promoted: its due time is already known then.
  events.on("waiting", ({ jobId }, id) => {
    if (!dueAt.has(jobId)) dueAt.set(jobId, at(id));
  });
  events.on("active", ({ jobId }, id) => {
    const due = dueAt.get(jobId);
    if (due === undefined) return;
    dueAt.delete(jobId);
    if (recording) lateMs.push(at(id) - due);
  });
  await events.waitUntilReady();
  return {
    start: () => {
      recording = true;
    },
    stop: (): number[] => {
      recording = false;
      const now = Date.now();
      const overdue = [...dueAt.values()].filter((due) => due < now).map((due) => now - due);
      return [...lateMs, ...overdue];
    },
    close: async () => {
      await events.close();
      connection.disconnect();
    },
  };
}
