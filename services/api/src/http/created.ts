import type { Response } from "express";
import type { Job } from "@reelay/db";

/** 201/202 for a resource whose work continues in a job: the body, plus the job in `X-Job-Id`. */
export function sendCreated(res: Response, status: 201 | 202, job: Pick<Job, "id">, body: unknown): void {
  res.setHeader("X-Job-Id", job.id);
  res.status(status).json(body);
}
