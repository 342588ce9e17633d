import { Router } from "express";
import type { Redis } from "ioredis";
import { z } from "zod";
import { AppError, CreateResponseBody } from "@reelay/contract";
import { toResponseWire, type EventHub } from "@reelay/domain";
import { tenantOf } from "../http/auth.ts";
import { parse } from "../http/validate.ts";
import { createResponse, type ResponseDeps } from "./create-response.ts";
import { getResponse } from "./get-response.ts";
import { createResponseEventFeed } from "./response-event-feed.ts";
import { streamResponse } from "./stream-response.ts";
import { waitForResponse } from "./wait-for-response.ts";

export const ResponseParams = z.object({ response_id: z.string() });

export function responseRoutes(deps: ResponseDeps & { hub: EventHub; redis: Redis; responseTimeoutMs: number }): Router {
  const router = Router();
  // Live events share the job queue's key prefix (and Redis): the worker appends under it.
  const events = createResponseEventFeed({ redis: deps.redis, prefix: deps.queue.opts.prefix ?? "bull", log: deps.log });

  router.post("/responses", async (req, res) => {
    const body = parse(CreateResponseBody, req.body, "response");
    const { response, job } = await createResponse(deps, tenantOf(res), body);
    res.setHeader("X-Job-Id", job.id);
    res.setHeader("Content-Location", `/v1.3/responses/${response.id}`);
    // With `stream`, `background` changes nothing: a streamed answer never depends on its caller staying.
    if (body.stream) {
      await streamResponse({ prisma: deps.prisma, hub: deps.hub, events, responseTimeoutMs: deps.responseTimeoutMs }, res, response);
      return;
    }
    if (body.background) {
      res.status(202).json(toResponseWire(response));
      return;
    }
    // Stop waiting if the caller goes away; the worker still finishes and stores the answer.
    const gone = new AbortController();
    res.on("close", () =>
      gone.abort(new AppError({ code: "request/client_closed", platformCode: "request_canceled_or_timed_out", status: 408, message: "The client closed the connection." })),
    );
    res.json(await waitForResponse(deps, response.id, deps.responseTimeoutMs, gone.signal));
  });

  router.get("/responses/:response_id", async (req, res) => {
    const { response_id } = parse(ResponseParams, req.params, "response");
    res.json(toResponseWire(await getResponse(deps.prisma, tenantOf(res), response_id)));
  });

  return router;
}
