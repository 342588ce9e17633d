import { terminalJobStatuses, type JobError, type JobObject } from "@reelay/contract";
import type { Job } from "@reelay/db";
import { jobCatalog, isJobType } from "@reelay/jobs";

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** A job row as clients see it. */
export function toJobWire(job: Job): JobObject {
  const finishedAs = (status: Job["status"]) => (job.status === status ? iso(job.finishedAt) : null);
  return {
    _id: job.id,
    object: "job",
    type: job.type,
    status: job.status,
    resource: {
      type: isJobType(job.type) ? jobCatalog[job.type].resource : "job",
      id: job.resourceId,
      status: job.resourceStatus,
    },
    stage: job.stage,
    attempts: job.attempts,
    polls: job.polls,
    next_poll_at: terminalJobStatuses.has(job.status) ? null : iso(job.nextPollAt),
    deadline_at: job.deadlineAt.toISOString(),
    last_error: (job.lastError as JobError | null) ?? null,
    sequence: job.version,
    created_at: job.createdAt.toISOString(),
    updated_at: job.updatedAt.toISOString(),
    queued_at: job.createdAt.toISOString(),
    running_at: iso(job.startedAt),
    waiting_remote_at: iso(job.waitingRemoteAt),
    succeeded_at: finishedAs("succeeded"),
    failed_at: finishedAs("failed"),
    cancelled_at: finishedAs("cancelled"),
  };
}
