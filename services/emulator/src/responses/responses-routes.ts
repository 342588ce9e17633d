import { routes } from "@reelay/contract";
import type { ResponseObject } from "@reelay/contract";
import { Router } from "express";
import type { EmulatorContext } from "../context.ts";
import { bindRoute } from "../http/bind-route.ts";
import { requestOrigin } from "../http/request-origin.ts";
import { createResponse } from "./create-response.ts";
import { streamResponse } from "./stream-response.ts";

export function responsesRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  bindRoute(router, routes["responses.create"], ({ body }, req, res) => {
    const response: ResponseObject = createResponse(ctx, body, requestOrigin(req));
    if (body.stream) streamResponse(res, response);
    else res.status(200).json(response);
  });

  return router;
}
