import { CreateResponseBody } from "@reelay/contract";
import { Router } from "express";
import type { EmulatorContext } from "../context.ts";
import { parseInput } from "../http/parse-input.ts";
import { requestOrigin } from "../http/request-origin.ts";
import { createResponse } from "./create-response.ts";
import type { ResponseObject } from "@reelay/contract";
import { streamResponse } from "./stream-response.ts";

export function responsesRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.post("/responses", (req, res) => {
    const body = parseInput(CreateResponseBody, req.body, "response");
    const response: ResponseObject = createResponse(ctx, body, requestOrigin(req));
    if (body.stream) streamResponse(res, response);
    else res.status(200).json(response);
  });

  return router;
}
