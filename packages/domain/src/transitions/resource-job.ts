import type { Db, Job } from "@reelay/db";
import { changeJob, type JobChange } from "./jobs.ts";

/** A resource transition's effect on the job acting on it: the resource status is mirrored. */
export interface JobEffect {
  job: Job;
  change?: JobChange;
}

/** Applies the job side of a resource transition, in the same transaction; returns the new job row. */
export async function applyJobEffect(tx: Db, effect: JobEffect | undefined, resourceStatus: string): Promise<Job | undefined> {
  if (!effect) return undefined;
  return changeJob(tx, effect.job, { ...effect.change, resourceStatus });
}
