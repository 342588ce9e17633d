import { newId, terminalJobStatuses, type EventType, type JobError, type JobStatus } from "@reelay/contract";
import { asJson, Prisma, type Db, type Job } from "@reelay/db";
import { cleanupOf, isJobType, jobCatalog, type JobType } from "@reelay/jobs";
import { toJobWire } from "../wire/job-wire.ts";
import { appendEvent } from "./outbox.ts";
import { conditionally } from "./stale-state.ts";

const open: JobStatus[] = ["queued", "running", "waiting_remote"];

const eventOf = {
  queued: "job.created",
  running: "job.running",
  waiting_remote: "job.waiting_remote",
  succeeded: "job.succeeded",
  failed: "job.failed",
  cancelled: "job.cancelled",
} as const satisfies Record<JobStatus, EventType>;

/** BullMQ's lowest priority; a backlog deeper than this shares it. */
const LOWEST_PRIORITY = 2_097_152;

/**
 * The job row of a new resource, written in the resource's transaction (with its `job.created`).
 * Its priority is one more than the tenant's open jobs: a tenant with five thousand items in
 * flight queues its next behind them, while another tenant's first job goes to the front.
 */
export async function createJob(tx: Db, input: { id?: string; tenantId: string; type: JobType; resourceId: string; resourceStatus: string; now?: Date }): Promise<Job> {
  const now = input.now ?? new Date();
  // Raw SQL: Prisma's query compiler costs about 2 ms of CPU per model query, on every resource
  // created. The statuses are `open`, spelled as the partial index jobs_open_by_tenant is.
  const [counted] = await tx.$queryRaw<Array<{ backlog: number }>>`
    SELECT count(*)::int AS "backlog" FROM "jobs" WHERE "tenant_id" = ${input.tenantId} AND "status" IN ('queued', 'running', 'waiting_remote')`;
  const backlog = counted?.backlog ?? 0;
  const job = await tx.job.create({
    data: {
      id: input.id ?? newId("job"),
      tenantId: input.tenantId,
      type: input.type,
      resourceId: input.resourceId,
      resourceStatus: input.resourceStatus,
      deadlineAt: new Date(now.getTime() + jobCatalog[input.type].deadlineMs),
      nextPollAt: now,
      version: 1,
      priority: Math.min(LOWEST_PRIORITY, backlog + 1),
    },
  });
  await appendEvent(tx, { type: "job.created", tenantId: job.tenantId, resourceId: job.id, sequence: 1, jobId: job.id, data: toJobWire(job) });
  return job;
}

/** What a step or a resource transition changes on a job. Unset fields stay as they are. */
export interface JobChange {
  status?: JobStatus;
  stage?: string;
  resourceStatus?: string;
  polls?: number;
  attempts?: number;
  nextPollAt?: Date | null;
  lastError?: JobError | null;
  /** When an upstream create was sent; null once one is known not to have been acted on. */
  createSentAt?: Date | null;
  /** Gives the run's lease on the job back (the step is over; the next run need not wait). */
  releaseLease?: boolean;
  /**
   * Whether a job that ends failed or cancelled writes its cleanup job (`cleanupOf`). Default
   * true; false when nothing was left over, or when another job (an `asset.delete`) removes it.
   */
  cleanUp?: boolean;
  /** The handler's own bookkeeping between steps (Job.state). */
  state?: Prisma.InputJsonValue;
}

/**
 * The one way a job changes. Refused (StaleStateError) once the job is terminal, so a cancelled
 * job never later succeeds. A change a client can see (status, stage, resource status) bumps the
 * job's version and writes its `job.<status>` event; bookkeeping (polls, next poll) does not.
 */
export async function changeJob(tx: Db, job: Job, change: JobChange, now = new Date()): Promise<Job> {
  const status = change.status ?? job.status;
  const visible =
    status !== job.status ||
    (change.stage !== undefined && change.stage !== job.stage) ||
    (change.resourceStatus !== undefined && change.resourceStatus !== job.resourceStatus);
  const terminal = terminalJobStatuses.has(status);
  const data: Prisma.JobUpdateInput = {
    ...(change.status ? { status } : {}),
    ...(change.stage !== undefined ? { stage: change.stage } : {}),
    ...(change.resourceStatus !== undefined ? { resourceStatus: change.resourceStatus } : {}),
    ...(change.polls !== undefined ? { polls: change.polls } : {}),
    ...(change.attempts !== undefined ? { attempts: change.attempts } : {}),
    ...(change.nextPollAt !== undefined ? { nextPollAt: change.nextPollAt } : {}),
    ...(change.lastError !== undefined ? { lastError: change.lastError === null ? Prisma.DbNull : asJson(change.lastError) } : {}),
    ...(change.createSentAt !== undefined ? { createSentAt: change.createSentAt } : {}),
    // A job that has ended holds no lease: nothing can run it any more (its runner need not release it).
    ...(change.releaseLease || terminal ? { leaseUntil: null, leaseToken: null } : {}),
    ...(change.state !== undefined ? { state: change.state } : {}),
    ...(status === "running" && !job.startedAt ? { startedAt: now } : {}),
    ...(status === "waiting_remote" && !job.waitingRemoteAt ? { waitingRemoteAt: now, startedAt: job.startedAt ?? now } : {}),
    ...(terminal ? { finishedAt: now, nextPollAt: null } : {}),
    ...(visible ? { version: { increment: 1 } } : {}),
  };
  const updated = await conditionally("job", job.id, () => tx.job.update({ where: { id: job.id, status: { in: open } }, data }));
  if (visible) {
    await appendEvent(tx, { type: eventOf[status], tenantId: updated.tenantId, resourceId: updated.id, sequence: updated.version, jobId: updated.id, data: toJobWire(updated) });
  }
  // Failed or cancelled work may have left an object on the platform (or an upload on disk): the
  // cleanup job, written in the same transaction, removes it (the relay dispatches it).
  const cleanup = change.cleanUp !== false && (status === "failed" || status === "cancelled") && isJobType(updated.type) ? cleanupOf[updated.type] : undefined;
  if (cleanup) await createJob(tx, { tenantId: updated.tenantId, type: cleanup, resourceId: updated.resourceId, resourceStatus: "failed", now });
  return updated;
}

/** Job changes that end a job along with its resource. */
export const jobSucceeded = (): JobChange => ({ status: "succeeded", stage: "done", attempts: 0, lastError: null });
export const jobFailed = (error: JobError): JobChange => ({ status: "failed", stage: "failed", lastError: error });
