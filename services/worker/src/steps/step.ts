import type { Queue } from "bullmq";
import type { Job as JobRow, Prisma, PrismaClient } from "@reelay/db";
import type { JobPayload, JobType } from "@reelay/jobs";
import type { PlatformClient } from "../platform/platform-client.ts";

/** What one run of a step achieved. */
export type StepOutcome =
  | { done: true }
  /** Not finished: run again later (a delayed re-enqueue, never a sleep). */
  | { done: false; stage: string; waitMs?: number; progressed?: boolean };

export const finished: StepOutcome = { done: true };
export const waitFor = (stage: string, waitMs?: number): StepOutcome => (waitMs === undefined ? { done: false, stage } : { done: false, stage, waitMs });
/** Not finished, but upstream moved on: poll again soon (the backoff starts over). */
export const progressed = (stage: string): StepOutcome => ({ done: false, stage, progressed: true });

/** Why a resource ended `failed`; stored for clients. */
export interface FailureReason {
  /** HTTP status the failure maps to when a client asks (4xx: the request was at fault). */
  status: number;
  code: string;
  message: string;
}

/** Thrown by a handler when the work can never succeed; the runner ends the resource `failed`. */
export class StepFailure extends Error {
  constructor(readonly reason: FailureReason) {
    super(reason.message);
    this.name = "StepFailure";
  }
}

export interface StepContext {
  prisma: PrismaClient;
  platform: PlatformClient;
  queue: Queue;
  blobDir: string;
  job: JobRow;
  log: (message: string, error?: unknown) => void;
  /** Marks the job row completed; call it inside the transaction that writes the final state. */
  complete: (tx: Prisma.TransactionClient) => Promise<void>;
  /** Records that an upstream create is about to be sent (see Job.createSentAt). */
  markCreateSent: () => Promise<void>;
  /** Runs a waiting job of another resource now instead of at its next poll. */
  wake: (type: JobType, resourceId: string) => Promise<void>;
}

export interface StepHandler<T extends JobType> {
  type: T;
  run: (ctx: StepContext, payload: JobPayload<T>) => Promise<StepOutcome>;
  /** Writes the terminal failed state of the resource (and its event) in the given transaction. */
  fail: (tx: Prisma.TransactionClient, payload: JobPayload<T>, reason: FailureReason) => Promise<void>;
}
