import { DelayedError, UnrecoverableError, type Job as BullJob, type Queue } from "bullmq";
import type { PrismaClient } from "@reelay/db";
import { bullJobId, findJobRow, isJobType, jobCatalog, nextPollDelay, type JobPayload, type JobType, type PollSchedule } from "@reelay/jobs";
import { PlatformError } from "../platform/platform-error.ts";
import type { PlatformClient } from "../platform/platform-client.ts";
import { StepFailure, type FailureReason, type StepContext, type StepHandler } from "./step.ts";

export interface RunnerDeps {
  prisma: PrismaClient;
  platform: PlatformClient;
  queue: Queue;
  blobDir: string;
  pollSchedule: PollSchedule;
  handlers: { [T in JobType]: StepHandler<T> };
  log: (message: string, error?: unknown) => void;
}

const terminal = new Set(["completed", "failed"]);

/**
 * Runs one step of a job: load the row, return if the work is done, do one step, then either
 * finish, re-schedule itself (moveToDelayed + DelayedError), retry through BullMQ's backoff, or
 * end the resource `failed`. Postgres decides; the BullMQ job only carries the id.
 */
export function createStepRunner(deps: RunnerDeps) {
  async function failResource<T extends JobType>(type: T, payload: JobPayload<T>, jobId: string, reason: FailureReason): Promise<void> {
    const handler = deps.handlers[type] as StepHandler<T>;
    await deps.prisma.$transaction(async (tx) => {
      await handler.fail(tx, payload, reason);
      await tx.job.update({ where: { id: jobId }, data: { status: "failed", stage: "failed", lastError: reason.message, finishedAt: new Date() } });
    });
  }

  return async function runStep(bullJob: BullJob, token?: string): Promise<void> {
    if (!isJobType(bullJob.name)) throw new UnrecoverableError(`unknown job type ${bullJob.name}`);
    const type: JobType = bullJob.name;
    const definition = jobCatalog[type];
    const parsed = definition.payload.safeParse(bullJob.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid payload for ${type}: ${parsed.error.message}`);
    const payload = parsed.data as JobPayload<typeof type>;
    const resourceId = (definition.resourceId as (p: typeof payload) => string)(payload);

    const row = await findJobRow(deps.prisma, type, resourceId);
    if (!row) throw new UnrecoverableError(`no job row for ${type} ${resourceId}`);
    if (terminal.has(row.status)) return;

    if (Date.now() > row.deadlineAt.getTime()) {
      await failResource(type, payload, row.id, { status: 504, code: "timeout", message: `Gave up: the platform did not finish before ${row.deadlineAt.toISOString()} (stage ${row.stage}).` });
      return;
    }
    if (row.status === "queued") {
      await deps.prisma.job.update({ where: { id: row.id }, data: { status: "in_progress", startedAt: row.startedAt ?? new Date() } });
    }

    const ctx: StepContext = {
      prisma: deps.prisma,
      platform: deps.platform,
      queue: deps.queue,
      blobDir: deps.blobDir,
      job: row,
      log: deps.log,
      complete: async (tx) => {
        await tx.job.update({ where: { id: row.id }, data: { status: "completed", stage: "completed", finishedAt: new Date() } });
      },
      markCreateSent: async () => {
        await deps.prisma.job.update({ where: { id: row.id }, data: { createSentAt: new Date() } });
      },
      wake: async (wakeType, wakeId) => {
        const waiting = await deps.queue.getJob(bullJobId(wakeType, wakeId));
        if (waiting && (await waiting.isDelayed())) await waiting.promote().catch(() => undefined);
      },
    };

    let waitMs: number;
    let stage: string;
    let polls = row.polls;
    try {
      const outcome = await (deps.handlers[type] as StepHandler<typeof type>).run(ctx, payload);
      if (outcome.done) return;
      stage = outcome.stage;
      // Cheap adaptive polling: back off while nothing changes, start over when something does.
      if (outcome.progressed) polls = 0;
      waitMs = outcome.waitMs ?? nextPollDelay(polls, deps.pollSchedule);
    } catch (error) {
      if (error instanceof StepFailure) {
        await failResource(type, payload, row.id, error.reason);
        return;
      }
      const platformError = error instanceof PlatformError ? error : undefined;
      const message = error instanceof Error ? error.message : String(error);
      if (platformError?.status === 429) {
        // Rate limited: not a failure of this job, just wait as long as the platform asks.
        stage = row.stage;
        waitMs = platformError.retryAfterMs ?? nextPollDelay(row.polls, deps.pollSchedule);
        deps.log(`${type} ${resourceId}: rate limited, waiting ${waitMs} ms`);
      } else {
        const retryable = platformError ? platformError.retryable : true;
        const attemptsLeft = bullJob.attemptsMade + 1 < (bullJob.opts.attempts ?? 1);
        if (retryable && attemptsLeft) {
          await deps.prisma.job.update({ where: { id: row.id }, data: { attempts: bullJob.attemptsMade + 1, lastError: message } }).catch(() => undefined);
          throw error;
        }
        const status = platformError?.status && platformError.status < 500 ? platformError.status : 502;
        await failResource(type, payload, row.id, { status, code: platformError?.code ?? "upstream_error", message });
        throw new UnrecoverableError(message);
      }
    }

    const now = Date.now();
    const until = Math.min(now + waitMs, row.deadlineAt.getTime() + 1);
    await deps.prisma.job.update({ where: { id: row.id }, data: { stage, polls: polls + 1 } });
    await bullJob.moveToDelayed(until, token);
    throw new DelayedError();
  };
}
