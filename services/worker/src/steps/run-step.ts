import { randomUUID } from "node:crypto";
import { DelayedError, UnrecoverableError, type Job as BullJob, type Queue } from "bullmq";
import type { JobError } from "@reelay/contract";
import { Prisma, type Job as JobRow, type PrismaClient } from "@reelay/db";
import { changeJob, endJob, StaleStateError, type JobChange } from "@reelay/domain";
import { claimWakeRequest, isJobType, jobCatalog, nextPollDelay, payloadFor, QueuedJob, type JobType, type PollSchedule } from "@reelay/jobs";
import { addLogContext } from "@reelay/telemetry";
import { PlatformError } from "../platform/platform-error.ts";
import type { PlatformClient } from "../platform/platform-client.ts";
import type { WatchTuning } from "../items/watch-store-items.ts";
import { awaitDependency, DependencyPending, StepFailure, type StepContext, type StepHandler, type StepOutcome } from "./step.ts";

export interface RunnerDeps {
  prisma: PrismaClient;
  /** The jobs' queue: a wake-up that came while a step ran is read from it (wake-requests.ts). */
  queue: Queue;
  platform: PlatformClient;
  blobDir: string;
  pollSchedule: PollSchedule;
  handlers: { [T in JobType]: StepHandler<T> };
  /** How long a run's lease on its job row lasts before another run may take over; renewed while it works. */
  leaseMs: number;
  /** Time-outs of a platform call and of a direct upload: how long a sent create may still be in flight. */
  callTimeoutMs: number;
  uploadTimeoutMs: number;
  /** Scales the waits after failed steps (tests shrink them). */
  retryScale: number;
  /** How store watchers pace themselves. */
  watch: WatchTuning;
  log: (message: string, error?: unknown) => void;
}

const open = new Set(["queued", "running", "waiting_remote"]);
/** While Reelay's own platform access is refused (401/402/403), jobs look again this often. */
const OPERATOR_RETRY_MS = 30_000;

/** What to tell a client about a failed step: the platform's own words, or nothing internal. */
function clientError(error: unknown): JobError {
  if (error instanceof PlatformError) {
    if (error.kind === "operator") {
      return { code: "platform_unavailable", message: "The platform is refusing this gateway's own credentials; the job resumes once its operator fixes them.", retryable: true };
    }
    return { code: error.code, message: error.message, retryable: error.retryable };
  }
  return { code: "internal_error", message: "Reelay hit an internal error running this step; it will try again.", retryable: true };
}

/**
 * A change to a job that has not started yet, with its start folded in: the job becomes `running`
 * (stage `starting`) unless the change says otherwise. Unchanged for a job already started.
 */
function withStart(job: JobRow, change: JobChange = {}): JobChange {
  return job.status === "queued" ? { ...change, status: change.status ?? "running", stage: change.stage ?? "starting" } : change;
}

/** Delay before retrying the n-th consecutive failed step (1-based), ±20 % jitter. */
function retryDelay(failures: number, retry: { initialMs: number; maxMs: number }, random = Math.random): number {
  const base = Math.min(retry.maxMs, retry.initialMs * 2 ** (failures - 1));
  return Math.round(base * (0.8 + random() * 0.4));
}

/**
 * Runs one step of a job: take the job's lease and load it, return if the job has ended, do one
 * step, then record what happened and either finish or re-schedule itself (moveToDelayed +
 * DelayedError). Postgres decides; the BullMQ job only carries the id. The lease keeps a second
 * run of the same job (a lapsed BullMQ lock, a re-dispatch by the reconciler) from working
 * alongside the first. Failed steps are counted here, consecutively and forgiven by a step that
 * works, so scattered errors over hours of polling never add up to a false failure.
 */
export function createStepRunner(deps: RunnerDeps) {
  /** Takes the lease and reads the row in one statement; undefined when another run holds it. */
  async function lease(jobId: string, token: string): Promise<JobRow | undefined> {
    const now = new Date();
    try {
      return await deps.prisma.job.update({
        where: { id: jobId, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
        data: { leaseUntil: new Date(now.getTime() + deps.leaseMs), leaseToken: token },
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025") return undefined;
      throw error;
    }
  }

  return async function runStep(bullJob: BullJob, token?: string): Promise<void> {
    if (!isJobType(bullJob.name)) throw new UnrecoverableError(`unknown job type ${bullJob.name}`);
    const type: JobType = bullJob.name;
    const parsed = QueuedJob.safeParse(bullJob.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid payload for ${type}: ${parsed.error.message}`);
    const { jobId } = parsed.data;

    const leaseToken = randomUUID();
    let job: JobRow | undefined = await lease(jobId, leaseToken);
    if (!job) {
      const held = await deps.prisma.job.findUnique({ where: { id: jobId } });
      if (!held) throw new UnrecoverableError(`no job row ${jobId}`);
      if (!open.has(held.status)) return;
      // Another run is working on it: come back when its lease would have lapsed.
      await bullJob.moveToDelayed(Math.max(Date.now() + 250, (held.leaseUntil?.getTime() ?? Date.now()) + 100), token);
      throw new DelayedError();
    }
    if (!open.has(job.status)) return;
    addLogContext({ tenant: job.tenantId });
    const resourceId = job.resourceId;
    const payload = payloadFor(type, resourceId);

    let released = false;
    const renew = setInterval(() => {
      void deps.prisma.job
        .updateMany({ where: { id: job!.id, leaseToken }, data: { leaseUntil: new Date(Date.now() + deps.leaseMs) } })
        .catch((error: unknown) => deps.log(`${type} ${resourceId}: lease not renewed`, error));
    }, Math.max(1_000, Math.floor(deps.leaseMs / 3)));
    renew.unref();
    try {
      if (Date.now() > job.deadlineAt.getTime()) {
        const error = { code: "timeout", message: `Gave up: the work did not finish before ${job.deadlineAt.toISOString()} (stage ${job.stage}).`, retryable: false };
        await deps.prisma.$transaction((tx) => endJob(tx, job!, { status: "failed", error, httpStatus: 504 }));
        return;
      }
      const handler = deps.handlers[type] as StepHandler<typeof type>;
      // Otherwise the start rides on the handler's first job write (withStart).
      if (!handler.startsInFirstCommit) job = await changeJob(deps.prisma, job, withStart(job));

      let outcome: StepOutcome;
      try {
        outcome = await handler.run(context(job, (next) => (job = next)), payload);
      } catch (error) {
        if (error instanceof StaleStateError) throw error;
        if (!(error instanceof DependencyPending)) {
          released = true;
          return await recordFailure(bullJob, token, job, error);
        }
        outcome = awaitDependency(error.stage);
      }
      if (outcome.done) {
        // Done without a job write of its own: the job still started (as a job started up front would have).
        if (job.status === "queued") job = await changeJob(deps.prisma, job, withStart(job));
        return;
      }

      // Cheap adaptive polling: back off while nothing changes, start over when something does.
      const polls = outcome.progressed ? 0 : job.polls;
      const waitMs = outcome.waitMs ?? nextPollDelay(polls, deps.pollSchedule);
      released = true;
      await reschedule(
        bullJob,
        token,
        job,
        waitMs,
        {
          status: outcome.remote ? "waiting_remote" : "running",
          stage: outcome.stage,
          polls: polls + 1,
          // A step that works forgives earlier failures.
          ...(job.attempts > 0 || job.lastError ? { attempts: 0, lastError: null } : {}),
        },
        // Waiting for a resource of ours: its event may have come while this step ran.
        !outcome.remote,
      );
    } catch (error) {
      // The job ended elsewhere (cancelled) while this step ran: nothing of the step was written.
      if (error instanceof StaleStateError) return;
      throw error;
    } finally {
      clearInterval(renew);
      // A job that ended released its lease in the same write (changeJob).
      if (!released && job.leaseToken === leaseToken) {
        await deps.prisma.job.updateMany({ where: { id: job.id, leaseToken }, data: { leaseUntil: null, leaseToken: null } }).catch(() => undefined);
      }
    }
  };

  function context(initial: JobRow, adopt: (job: JobRow) => void): StepContext {
    let current = initial;
    const set = (job: JobRow | undefined) => {
      if (job) adopt((current = job));
    };
    return {
      prisma: deps.prisma,
      platform: deps.platform,
      blobDir: deps.blobDir,
      watch: deps.watch,
      get job() {
        return current;
      },
      log: deps.log,
      commit: async (write) => {
        const result = await deps.prisma.$transaction((tx) => write(tx, (change) => ({ job: current, change: withStart(current, change) })));
        set(result.job);
      },
      markCreateSent: async () => set(await changeJob(deps.prisma, current, withStart(current, { createSentAt: new Date() }))),
      finish: async (change) => set(await changeJob(deps.prisma, current, withStart(current, change))),
      createInFlightMs: (sentAt, upload) => Math.max(0, sentAt.getTime() + (upload ? deps.uploadTimeoutMs : deps.callTimeoutMs) - Date.now()),
    };
  }

  /** Records the next step's time on the row (releasing the lease), then delays the BullMQ job. */
  async function reschedule(bullJob: BullJob, token: string | undefined, job: JobRow, waitMs: number, change: JobChange, wakeable = false): Promise<never> {
    const until = Math.min(Date.now() + waitMs, job.deadlineAt.getTime() + 1);
    await changeJob(deps.prisma, job, { ...withStart(job, change), nextPollAt: new Date(until), releaseLease: true });
    await bullJob.moveToDelayed(until, token);
    if (wakeable) await claimWakeRequest(deps.queue, job.type as JobType, job.id).catch((error: unknown) => deps.log(`${job.type} ${job.resourceId}: wake request not read (it waits its back-off)`, error));
    throw new DelayedError();
  }

  async function recordFailure(bullJob: BullJob, token: string | undefined, job: JobRow, error: unknown): Promise<void> {
    const type = job.type as JobType;
    const definition = jobCatalog[type];
    if (error instanceof StepFailure) {
      await deps.prisma.$transaction((tx) => endJob(tx, job, { status: "failed", error: { code: error.reason.code, message: error.reason.message, retryable: false }, httpStatus: error.reason.status }));
      return;
    }
    const platformError = error instanceof PlatformError ? error : undefined;
    if (!platformError) deps.log(`${type} ${job.resourceId}: step failed`, error);
    // A create the platform refused outright was never performed: nothing to look for next time.
    const notCreated = platformError?.notApplied && platformError.operation.startsWith("create ") && job.createSentAt ? { createSentAt: null } : {};

    if (platformError?.kind === "rate_limited") {
      // Not a failure of this job: wait as long as the platform (or our own limiter) asks, at least a second.
      const waitMs = platformError.retryAfterMs ?? nextPollDelay(job.polls, deps.pollSchedule);
      return reschedule(bullJob, token, job, Math.max(waitMs, 1_000), { lastError: clientError(platformError), ...notCreated });
    }
    if (platformError?.kind === "operator") {
      // Reelay's own credentials were refused: no tenant is at fault and none fails for it.
      deps.log(`${type} ${job.resourceId}: the platform refused Reelay's credentials (${platformError.status}); pausing this job`);
      return reschedule(bullJob, token, job, OPERATOR_RETRY_MS * deps.retryScale, { lastError: clientError(platformError), ...notCreated });
    }
    if (platformError?.kind === "client") {
      const status = platformError.status && platformError.status < 500 ? platformError.status : 502;
      await deps.prisma.$transaction((tx) => endJob(tx, job, { status: "failed", error: clientError(platformError), httpStatus: status }));
      return;
    }
    const failures = job.attempts + 1;
    // Waiting on the platform (the object exists there): keep polling through errors until the deadline.
    if (failures >= definition.failureLimit && job.status !== "waiting_remote") {
      const last = clientError(error);
      const message = `Gave up after ${failures} failed attempts in a row; the last: ${last.message}`;
      await deps.prisma.$transaction((tx) => endJob(tx, job, { status: "failed", error: { code: last.code, message, retryable: false }, httpStatus: 502 }));
      return;
    }
    return reschedule(bullJob, token, job, retryDelay(failures, definition.retry) * deps.retryScale, { attempts: failures, lastError: clientError(error) });
  }
}
