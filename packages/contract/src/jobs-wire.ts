/**
 * Reelay's own job resource (`/v1.3/jobs`): the platform has none. One job per asynchronous
 * operation on a resource; its status, stage and timestamps come from Postgres.
 */
import { z } from "zod";
import { PageQuery, repeatedQuery } from "./common-wire.ts";

export const JobStatus = z.enum(["queued", "running", "waiting_remote", "succeeded", "failed", "cancelled"]);
export type JobStatus = z.infer<typeof JobStatus>;
export const terminalJobStatuses: ReadonlySet<JobStatus> = new Set(["succeeded", "failed", "cancelled"]);

/** The kinds of resource a job acts on, named as in event types (`knowledge_store_item.ready`). */
export const ResourceType = z.enum(["asset", "knowledge_store", "knowledge_store_item", "knowledge_store_item_collection", "knowledge_store_search", "response", "webhook_endpoint", "job"]);
export type ResourceType = z.infer<typeof ResourceType>;

/** A failure fit for a client: never a stack, a driver message or a validation dump. */
export const JobError = z.object({
  code: z.string(),
  message: z.string(),
  /** Whether the job will try again by itself (while not terminal) or a new request could succeed. */
  retryable: z.boolean(),
});
export type JobError = z.infer<typeof JobError>;

const timestamp = z.string().nullable();

export const JobObject = z.object({
  _id: z.string(),
  object: z.literal("job"),
  type: z.string(),
  status: JobStatus,
  resource: z.object({
    type: ResourceType,
    id: z.string(),
    /** The resource's own status as of the job's last change (e.g. an item's `processing`). */
    status: z.string().nullable(),
  }),
  stage: z.string(),
  /** Failed runs retried so far (polls are not attempts). */
  attempts: z.number().int(),
  polls: z.number().int(),
  next_poll_at: timestamp,
  deadline_at: z.string(),
  last_error: JobError.nullable(),
  /** Increases with every visible change; the `sequence` of the job's events. */
  sequence: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  queued_at: z.string(),
  running_at: timestamp,
  waiting_remote_at: timestamp,
  succeeded_at: timestamp,
  failed_at: timestamp,
  cancelled_at: timestamp,
});
export type JobObject = z.infer<typeof JobObject>;

export const JobListQuery = PageQuery.extend({
  resource_id: z.string().min(1).optional(),
  type: repeatedQuery(z.string().min(1)),
  status: repeatedQuery(JobStatus),
});
export type JobListQuery = z.infer<typeof JobListQuery>;

/** `?wait=30`: hold the answer up to this many seconds until the job changes. */
export const JobGetQuery = z.object({
  wait: z.preprocess((v) => (v === undefined || v === "" ? undefined : v), z.coerce.number().min(0).max(60).optional()),
});
