import { describe, expect, it } from "vitest";
import type { Response } from "@reelay/db";
import type { ResponseEventEntry } from "@reelay/jobs";
import { ResponseEventRelay } from "./response-event-relay.ts";

const created: Response = {
  id: "resp_1",
  tenantId: "ten_1",
  knowledgeStoreId: "ks_1",
  status: "queued",
  request: {},
  body: null,
  error: null,
  background: false,
  rawAnswer: null,
  version: 1,
  jobId: "job_1",
  createdAt: new Date("2026-01-01T00:00:00Z"),
  updatedAt: new Date("2026-01-01T00:00:00Z"),
};
const answer = { id: "resp_1", object: "response", status: "completed", session_id: "sess_1", knowledge_store_id: "ks_1", output: [{ type: "message" }] };
const completed: Response = { ...created, status: "completed", body: answer, version: 3 };

const event = (run: string, sequence: number, type = "response.output_text.delta"): ResponseEventEntry => ({ kind: "event", run, event: { type, sequence_number: sequence } });

describe("what a streaming caller receives", () => {
  it("writes one run's events as they come, then ends with the row's response, numbered after them", () => {
    const relay = new ResponseEventRelay(created);
    expect(relay.entry(event("a", 0, "response.created"))).toEqual([{ write: { type: "response.created", sequence_number: 0 } }]);
    expect(relay.entry(event("a", 1))).toHaveLength(1);
    expect(relay.started).toBe(true);
    expect(relay.row({ ...created, status: "in_progress" })).toBeUndefined();
    expect(relay.row(completed)).toEqual({ end: { type: "response.completed", sequence_number: 2, response: { ...answer, job_id: "job_1" } } });
    expect(relay.ended).toBe(true);
    expect(relay.entry(event("a", 2))).toEqual([]);
  });

  it("numbers the end as the platform's terminal event when its run says so", () => {
    const relay = new ResponseEventRelay(created);
    relay.entry(event("a", 0));
    expect(relay.entry({ kind: "end", run: "a", sequence: 7 })).toEqual([]);
    expect(relay.finalSoon).toBe(true);
    expect(relay.row(completed)).toMatchObject({ end: { sequence_number: 7 } });
  });

  it("ends with response.failed when the platform failed the answer or the job failed it", () => {
    const failedAnswer = { ...completed, status: "failed" as const, body: { ...answer, status: "failed", error: { code: "no_indexed_items", message: "x" } } };
    const relay = new ResponseEventRelay(created);
    relay.entry(event("a", 0));
    expect(relay.row(failedAnswer)).toMatchObject({ end: { type: "response.failed", response: { status: "failed", error: { code: "no_indexed_items" } } } });

    const cancelled = new ResponseEventRelay(created);
    cancelled.entry(event("a", 0));
    const ended = cancelled.row({ ...created, status: "failed", error: { status: 502, code: "cancelled", message: "cancelled" } });
    expect(ended).toMatchObject({ end: { type: "response.failed", sequence_number: 1, response: { id: "resp_1", status: "failed", error: { code: "cancelled" } } } });
  });

  it("before any event, refuses a failed response with its HTTP error, but streams an answer that came without events", () => {
    const refused = new ResponseEventRelay(created).row({ ...created, status: "failed", error: { status: 400, code: "parameter_invalid", message: "bad schema" } });
    expect(refused).toMatchObject({ refuse: { status: 400, platformCode: "parameter_invalid", message: "bad schema" } });
    expect(new ResponseEventRelay(created).row(completed)).toMatchObject({ end: { type: "response.completed", sequence_number: 0 } });
  });

  it("cuts the stream when its run broke off or a later run starts over, naming the response", () => {
    const interrupted = new ResponseEventRelay(created);
    interrupted.entry(event("a", 0));
    const [cut] = interrupted.entry({ kind: "interrupted", run: "a", error: { code: "timeout", message: "silent for 60 s" } });
    expect(cut).toMatchObject({ end: { type: "response.failed", sequence_number: 1, response: { id: "resp_1", status: "failed", error: { code: "stream_interrupted" } } } });
    expect(JSON.stringify(cut)).toContain("GET /v1.3/responses/resp_1");

    const restarted = new ResponseEventRelay(created);
    restarted.entry(event("a", 0));
    restarted.entry(event("a", 1));
    expect(restarted.entry(event("b", 0))).toMatchObject([{ end: { type: "response.failed", sequence_number: 2, response: { error: { code: "stream_interrupted" } } } }]);
  });

  it("follows a later run when the first relayed nothing, and ignores what the platform's terminal event would repeat", () => {
    const relay = new ResponseEventRelay(created);
    expect(relay.entry({ kind: "interrupted", run: "a", error: { code: "x", message: "y" } })).toEqual([]);
    expect(relay.entry(event("b", 0))).toHaveLength(1);
    expect(relay.entry(event("b", 1, "response.completed"))).toEqual([]);
    // An end from another run (a re-run that found the answer stored) is numbered after what was written.
    relay.entry({ kind: "end", run: "c" });
    expect(relay.row(completed)).toMatchObject({ end: { sequence_number: 1 } });
  });
});
