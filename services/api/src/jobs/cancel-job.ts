import type { Queue } from "bullmq";
import { AppError, terminalJobStatuses } from "@reelay/contract";
import type { Job, PrismaClient } from "@reelay/db";
import { endJob, StaleStateError } from "@reelay/domain";
import { bullJobId, isJobType } from "@reelay/jobs";
import { getJob } from "./get-job.ts";

export const CANCELLED = { code: "cancelled", message: "The job was cancelled by request.", retryable: false } as const;

/**
 * Cancels a job that has not ended: its resource ends `failed` with the reason "cancelled" and the
 * job `cancelled`, in one transaction. Idempotent: cancelling a cancelled job returns it. A job
 * that already succeeded or failed cannot be cancelled (409). A step running at that moment finds
 * the job terminal when it tries to write, and stops without writing anything.
 */
export async function cancelJob(deps: { prisma: PrismaClient; queue: Queue; log: (message: string, error?: unknown) => void }, tenantId: string, jobId: string): Promise<Job> {
  for (let attempt = 0; ; attempt++) {
    const job = await getJob(deps.prisma, tenantId, jobId);
    if (job.status === "cancelled") return job;
    if (terminalJobStatuses.has(job.status)) {
      throw new AppError({ code: "job/not_cancellable", platformCode: "job_not_cancellable", status: 409, message: `Job ${jobId} has already ${job.status}; only unfinished jobs can be cancelled.` });
    }
    try {
      const cancelled = await deps.prisma.$transaction((tx) => endJob(tx, job, { status: "cancelled", error: CANCELLED, httpStatus: 409 }));
      // The queue entry is now pointless; a running step stops by itself, so a failure here is harmless.
      if (isJobType(job.type)) await deps.queue.remove(bullJobId(job.type, job.id)).catch((error: unknown) => deps.log(`job ${jobId}: queue entry not removed`, error));
      return cancelled;
    } catch (error) {
      // The worker moved the job on between our read and our write: read again and decide again.
      if (error instanceof StaleStateError && attempt < 3) continue;
      throw error;
    }
  }
}
