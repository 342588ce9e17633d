import { Router } from "express";
import { AppError, CreateResponseBody } from "@reelay/contract";
import { tenantOf } from "../http/auth.ts";
import { parse } from "../http/validate.ts";
import { createResponse, type ResponseDeps } from "./create-response.ts";
import { waitForResponse } from "./wait-for-response.ts";

export function responseRoutes(deps: ResponseDeps & { responseTimeoutMs: number }): Router {
  const router = Router();

  router.post("/responses", async (req, res) => {
    const body = parse(CreateResponseBody, req.body, "response");
    const response = await createResponse(deps, tenantOf(res), body);
    // Stop waiting if the caller goes away; the worker still finishes and stores the answer.
    const gone = new AbortController();
    res.on("close", () =>
      gone.abort(new AppError({ code: "request/client_closed", platformCode: "request_canceled_or_timed_out", status: 408, message: "The client closed the connection." })),
    );
    res.json(await waitForResponse(deps.prisma, response.id, deps.responseTimeoutMs, gone.signal));
  });

  return router;
}
