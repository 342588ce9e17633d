import type { Job as JobRow, Prisma, PrismaClient } from "@reelay/db";
import type { JobChange, JobEffect } from "@reelay/domain";
import type { JobPayload, JobType } from "@reelay/jobs";
import type { PlatformClient } from "../platform/platform-client.ts";
import type { WatchTuning } from "../items/watch-store-items.ts";

/** What one run of a step achieved. */
export type StepOutcome =
  /** The handler wrote the terminal state (resource and job) itself. */
  | { done: true }
  /**
   * Not finished: run again later (a delayed re-enqueue, never a sleep). `remote` says who is
   * working: the platform (the job is `waiting_remote`) or Reelay itself (`running`).
   */
  | { done: false; stage: string; remote: boolean; waitMs?: number; progressed?: boolean };

export const finished: StepOutcome = { done: true };
/** The platform is working on it: poll again later, backing off while nothing changes. */
export const pollRemote = (stage: string): StepOutcome => ({ done: false, stage, remote: true });
/** Upstream moved on: poll again soon (the backoff starts over). */
export const progressed = (stage: string): StepOutcome => ({ done: false, stage, remote: true, progressed: true });
/** Waiting for another resource of ours (an asset, a store); its event wakes this job early. */
export const awaitDependency = (stage: string): StepOutcome => ({ done: false, stage, remote: false });
/** A create may still be on its way: look for it again once it surely arrived or failed. */
export const createInFlight = (waitMs: number): StepOutcome => ({ done: false, stage: "create_in_flight", remote: false, waitMs });

/**
 * Thrown where a handler cannot return `awaitDependency` (deep inside building a request): another
 * resource of ours is not ready yet. The runner treats it exactly as that outcome.
 */
export class DependencyPending extends Error {
  constructor(readonly stage: string, message = `waiting for a dependency (${stage})`) {
    super(message);
    this.name = "DependencyPending";
  }
}

/** Why a job ended `failed`; written for clients. */
export interface FailureReason {
  /** HTTP status a caller still waiting is answered with (4xx: the request was at fault). */
  status: number;
  code: string;
  message: string;
}

/** Thrown by a handler when the work can never succeed; the runner ends the job and its resource `failed`. */
export class StepFailure extends Error {
  constructor(readonly reason: FailureReason) {
    super(reason.message);
    this.name = "StepFailure";
  }
}

export interface StepContext {
  prisma: PrismaClient;
  platform: PlatformClient;
  blobDir: string;
  /** How store watchers and the items they serve pace their looks at the platform. */
  watch: WatchTuning;
  /** The job row as of the last change this step made. */
  readonly job: JobRow;
  log: (message: string, error?: unknown) => void;
  /**
   * Runs a resource transition in a transaction. `job(change)` hands the transition the current job
   * row (and what to change on it), so the resource, its event and the job move together.
   */
  commit: (write: (tx: Prisma.TransactionClient, job: (change?: JobChange) => JobEffect) => Promise<{ job: JobRow | undefined }>) => Promise<void>;
  /** Records that an upstream create is about to be sent (see Job.createSentAt). */
  markCreateSent: () => Promise<void>;
  /** Ends the job with no resource change of its own (a cleanup's success, say). */
  finish: (change: JobChange) => Promise<void>;
  /**
   * How long a create sent at `sentAt` may still be in flight (its call's time-out): while it may,
   * a run that cannot find the object must look again later, never create it again. 0 once over.
   */
  createInFlightMs: (sentAt: Date, upload?: boolean) => number;
}

export interface StepHandler<T extends JobType> {
  type: T;
  /**
   * The handler's first job write is a `commit` made before it calls anything outside Reelay (the
   * platform): the runner then folds the job's start (queued → running) into that commit instead
   * of writing it first on its own, one transaction less per run. Default false: the runner starts
   * the job before the handler runs, as a handler that calls out first needs.
   */
  startsInFirstCommit?: boolean;
  run: (ctx: StepContext, payload: JobPayload<T>) => Promise<StepOutcome>;
}
