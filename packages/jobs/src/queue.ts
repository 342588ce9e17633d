import { Queue, type ConnectionOptions } from "bullmq";
import { Redis } from "ioredis";
import { bullJobId, isJobType, type JobType } from "./catalog.ts";

export const QUEUE_NAME = "reelay";

export interface QueueOptions {
  redisUrl: string;
  /** Key prefix in Redis; tests use a unique one each. Default "reelay". */
  prefix?: string;
}

/**
 * A connection for producers: fail fast when Redis is away instead of buffering commands
 * (Postgres holds the work; the reconciler dispatches what could not be enqueued).
 */
export function createProducerConnection(redisUrl: string): Redis {
  return new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
}

/** A connection for workers: BullMQ requires maxRetriesPerRequest null on blocking connections. */
export function createWorkerConnection(redisUrl: string): Redis {
  return new Redis(redisUrl, { maxRetriesPerRequest: null });
}

export function createQueue(connection: ConnectionOptions, prefix = "reelay", onError: (error: Error) => void = () => {}): Queue {
  const queue = new Queue(QUEUE_NAME, { connection, prefix });
  // Connection errors are also reported by the connection's owner; an unheard "error" would crash.
  queue.on("error", onError);
  return queue;
}

/** A job row, as far as dispatching it goes. */
export interface JobRef {
  id: string;
  type: string;
  /** Queue priority, 1 first (the job row's). Default 1. */
  priority?: number;
}

/** Adds the job row's BullMQ job unless it is already there (BullMQ dedups on jobId). */
export async function dispatch(queue: Queue, job: JobRef, delayMs = 0): Promise<void> {
  if (!isJobType(job.type)) throw new Error(`unknown job type ${job.type}`);
  const type: JobType = job.type;
  await queue.add(type, { jobId: job.id }, {
    jobId: bullJobId(type, job.id),
    // Every job has a priority: BullMQ serves jobs without one before all prioritized jobs.
    priority: job.priority ?? 1,
    // The step runner counts and schedules failed steps itself; BullMQ's retries only cover a
    // step that could not even record its failure (Postgres away). Past these, the reconciler
    // dispatches the job again from its row.
    attempts: 8,
    backoff: { type: "exponential", delay: 2_000 },
    delay: delayMs,
    // History lives in Postgres; Redis keeps only enough to dedup recent re-enqueues.
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  });
}

/** How long a request waits for Redis to take a job before leaving it to the reconciler. */
export const DISPATCH_TIMEOUT_MS = 2_000;

/**
 * Dispatch after the transaction that wrote the job row has committed. A failure here loses
 * nothing: the row is in Postgres and the worker's reconciler dispatches it later. BullMQ waits
 * for a connection that is down instead of failing, so the wait is bounded: a request must not
 * hang because Redis is away.
 */
export function dispatchAfterCommit(queue: Queue, job: JobRef, onError: (error: unknown) => void, timeoutMs = DISPATCH_TIMEOUT_MS): Promise<boolean> {
  return boundedEnqueue(() => dispatch(queue, job), onError, timeoutMs);
}

/**
 * Runs an enqueue that Postgres already makes redundant (a reconciler would redo it), waiting at
 * most `timeoutMs`; reports a failure or a time-out to `onError` and answers whether it went in.
 */
export async function boundedEnqueue(enqueue: () => Promise<unknown>, onError: (error: unknown) => void, timeoutMs = DISPATCH_TIMEOUT_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not take the job within ${timeoutMs} ms`)), timeoutMs);
  });
  const adding = enqueue();
  adding.catch(() => undefined); // may settle after the timeout; its outcome no longer matters
  try {
    await Promise.race([adding, timeout]);
    return true;
  } catch (error) {
    onError(error);
    return false;
  } finally {
    clearTimeout(timer);
  }
}
