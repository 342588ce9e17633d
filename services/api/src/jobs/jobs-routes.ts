import { Router, type Response } from "express";
import type { Queue } from "bullmq";
import { z } from "zod";
import { JobGetQuery, JobListQuery, pageInfo } from "@reelay/contract";
import type { PrismaClient } from "@reelay/db";
import { toJobWire, type EventHub } from "@reelay/domain";
import { tenantOf } from "../http/auth.ts";
import { parse } from "../http/validate.ts";
import { cancelJob } from "./cancel-job.ts";
import { getJobWhenChanged } from "./get-job.ts";
import { listJobs } from "./list-jobs.ts";
import { streamJobEvents } from "./stream-job-events.ts";

export const JobParams = z.object({ job_id: z.string() });

/**
 * Aborted when the client goes away: only a long poll (`?wait`) needs it. A plain status read
 * would pay for the controller and, at every response's close, for the DOMException abort() makes.
 */
function abortedOnClose(res: Response): AbortSignal {
  const gone = new AbortController();
  res.on("close", () => gone.abort());
  return gone.signal;
}

export function jobRoutes(deps: { prisma: PrismaClient; queue: Queue; hub: EventHub; log: (message: string, error?: unknown) => void }): Router {
  const router = Router();

  router.get("/jobs", async (req, res) => {
    const query = parse(JobListQuery, req.query, "job");
    const { rows, total } = await listJobs(deps.prisma, tenantOf(res), query);
    res.json({ data: rows.map((job) => toJobWire(job)), page_info: pageInfo(query, total) });
  });

  router.get("/jobs/:job_id", async (req, res) => {
    const { job_id } = parse(JobParams, req.params, "job");
    const { wait } = parse(JobGetQuery, req.query, "job");
    res.json(toJobWire(await getJobWhenChanged(deps, tenantOf(res), job_id, wait ?? 0, wait ? abortedOnClose(res) : undefined)));
  });

  router.get("/jobs/:job_id/events", async (req, res) => {
    const { job_id } = parse(JobParams, req.params, "job");
    await streamJobEvents(deps, tenantOf(res), job_id, req, res);
  });

  router.post("/jobs/:job_id/cancel", async (req, res) => {
    const { job_id } = parse(JobParams, req.params, "job");
    res.json(toJobWire(await cancelJob(deps, tenantOf(res), job_id)));
  });

  return router;
}
