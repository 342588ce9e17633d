import type { Request, Response } from "express";
import type { Db } from "@reelay/db";
import { toEventEnvelope, type EventHub } from "@reelay/domain";
import { getJob } from "./get-job.ts";

const PAGE = 100;
/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
const terminalTypes = new Set(["job.succeeded", "job.failed", "job.cancelled"]);

/** The largest sequence an event can carry (an INT4 column). */
const MAX_SEQUENCE = 2 ** 31 - 1;

/**
 * Where a reconnecting client left off: `Last-Event-ID` (what EventSource sends) or `?after=`.
 * A point past any sequence means "after everything"; passed on as is, Postgres refused it (500).
 */
function resumeFrom(req: Request): number {
  const raw = req.header("last-event-id") ?? (typeof req.query.after === "string" ? req.query.after : undefined);
  const sequence = raw === undefined ? 0 : Number(raw);
  return Number.isSafeInteger(sequence) && sequence > 0 ? Math.min(sequence, MAX_SEQUENCE) : 0;
}

/**
 * `GET /jobs/{id}/events`: the job's events as Server-Sent Events, read from the outbox in
 * sequence order (`id:` is the sequence, so a reconnect resumes exactly), woken by NOTIFY. The
 * stream ends after the job's terminal event; reconnecting after that answers 204, which tells
 * EventSource to stop.
 */
export async function streamJobEvents(deps: { prisma: Db; hub: EventHub }, tenantId: string, jobId: string, req: Request, res: Response): Promise<void> {
  const job = await getJob(deps.prisma, tenantId, jobId);
  let after = resumeFrom(req);
  const readPage = () => deps.prisma.event.findMany({ where: { resourceId: job.id, sequence: { gt: after } }, orderBy: { sequence: "asc" }, take: PAGE });

  const closed = new AbortController();
  res.on("close", () => closed.abort());
  let page = await readPage();
  const ended = await deps.prisma.event.count({ where: { resourceId: job.id, type: { in: [...terminalTypes] }, sequence: { lte: after } } });
  if (page.length === 0 && ended > 0) {
    res.status(204).end();
    return;
  }

  res.status(200).set({ "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache", Connection: "keep-alive", "X-Accel-Buffering": "no" });
  res.flushHeaders();
  res.write("retry: 2000\n\n");
  for (;;) {
    let finished = false;
    for (const event of page) {
      after = event.sequence;
      res.write(`id: ${event.sequence}\nevent: ${event.type}\ndata: ${JSON.stringify(toEventEnvelope(event))}\n\n`);
      if (terminalTypes.has(event.type)) finished = true;
    }
    if (finished || closed.signal.aborted) break;
    if (page.length < PAGE) {
      const reason = await deps.hub.waitFor(job.id, HEARTBEAT_MS, closed.signal);
      if (reason === "aborted") break;
      if (reason === "timeout") res.write(": keep-alive\n\n");
    }
    page = await readPage();
  }
  res.end();
}
