import { newId, type GatewayResponse } from "@reelay/contract";
import { asJson, type Db, type Job, type Prisma, type Response } from "@reelay/db";
import { toResponseWire, type StoredResponseError } from "../wire/response-wire.ts";
import { createJob } from "./jobs.ts";
import { appendEvent } from "./outbox.ts";
import { applyJobEffect, type JobEffect } from "./resource-job.ts";
import { conditionally } from "./stale-state.ts";

/** A new question (`queued`) with its job and their events. */
export async function createResponseRecord(tx: Db, data: Omit<Prisma.ResponseUncheckedCreateInput, "jobId" | "version" | "status">): Promise<{ response: Response; job: Job }> {
  const jobId = newId("job");
  const response = await tx.response.create({ data: { ...data, jobId, version: 1 } });
  const job = await createJob(tx, { id: jobId, tenantId: response.tenantId, type: "response.create", resourceId: response.id, resourceStatus: response.status });
  await appendEvent(tx, { type: "response.created", tenantId: response.tenantId, resourceId: response.id, sequence: 1, jobId, data: toResponseWire(response) });
  return { response, job };
}

/** The question is about to be asked of the platform. */
export async function startResponse(tx: Db, responseId: string, job?: JobEffect): Promise<{ response: Response; job: Job | undefined }> {
  const response = await conditionally("response", responseId, () =>
    tx.response.update({ where: { id: responseId, status: "queued" }, data: { status: "in_progress", version: { increment: 1 } } }),
  );
  await appendEvent(tx, { type: "response.in_progress", tenantId: response.tenantId, resourceId: response.id, sequence: response.version, jobId: response.jobId, data: toResponseWire(response) });
  return { response, job: await applyJobEffect(tx, job, response.status) };
}

export type ResponseOutcome =
  /** The platform answered; its own verdict (completed, incomplete, even failed) is kept with the body. */
  | { body: GatewayResponse }
  /** No answer: why. */
  | { error: StoredResponseError };

/** A response ends with the platform's answer or an error; refused once it has ended. */
export async function finishResponse(tx: Db, responseId: string, outcome: ResponseOutcome, job?: JobEffect): Promise<{ response: Response; job: Job | undefined }> {
  const status = "body" in outcome ? (outcome.body.status === "in_progress" || outcome.body.status === "queued" ? "completed" : outcome.body.status) : "failed";
  const response = await conditionally("response", responseId, () =>
    tx.response.update({
      where: { id: responseId, status: { in: ["queued", "in_progress"] } },
      data: {
        status,
        ...("body" in outcome ? { body: asJson(outcome.body) } : { error: asJson(outcome.error) }),
        version: { increment: 1 },
      },
    }),
  );
  await appendEvent(tx, {
    type: status === "failed" ? "response.failed" : "response.completed",
    tenantId: response.tenantId,
    resourceId: response.id,
    sequence: response.version,
    jobId: response.jobId,
    data: toResponseWire(response),
  });
  return { response, job: await applyJobEffect(tx, job, response.status) };
}
