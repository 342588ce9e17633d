import { z } from "zod";
import { StringMap } from "./common-wire.ts";

/*
 * The `/responses` wire shapes as twelvelabs-js 1.3.4 defines them (`serialization/types/Response*`):
 * exactly what the emulator emits. The gateway relays whatever the platform answers, so it reads
 * answers with the lenient `GatewayResponse` below, never these.
 */

/**
 * One citation. `title`, `thumbnail_url` and `hls_url` are always sent, `null` when unresolved;
 * `item_id`, `collection_id`, `start_sec` and `end_sec` are left out when they do not apply.
 * `start_index`/`end_index` locate the citation's `[n]` marker in Unicode code points, end inclusive.
 */
export const ResponseAnnotation = z.object({
  type: z.enum(["video_citation", "image_citation", "collection_citation"]),
  start_index: z.number().int().min(0),
  end_index: z.number().int().min(0),
  item_id: z.string().optional(),
  collection_id: z.string().optional(),
  start_sec: z.number().optional(),
  end_sec: z.number().optional(),
  title: z.string().nullable(),
  thumbnail_url: z.string().nullable(),
  hls_url: z.string().nullable(),
});
export type ResponseAnnotation = z.infer<typeof ResponseAnnotation>;

export const OutputTextPart = z.object({
  type: z.literal("output_text"),
  text: z.string(),
  annotations: z.array(ResponseAnnotation),
});
export type OutputTextPart = z.infer<typeof OutputTextPart>;

export const ResponseStatus = z.enum(["completed", "failed", "in_progress", "incomplete"]);
export type ResponseStatus = z.infer<typeof ResponseStatus>;
/** The platform's statuses, plus Reelay's `queued` for a response not yet asked upstream. */
export const GatewayResponseStatus = z.enum(["queued", ...ResponseStatus.options]);

export const MessageItem = z.object({
  type: z.literal("message"),
  id: z.string(),
  status: ResponseStatus,
  role: z.literal("assistant"),
  /** `final_answer` for the answer; `commentary` marks narration (only with intermediate outputs). */
  phase: z.enum(["final_answer", "commentary"]),
  content: z.array(OutputTextPart),
});
export const FunctionCallItem = z.object({
  type: z.literal("function_call"),
  id: z.string(),
  status: ResponseStatus,
  name: z.string(),
  call_id: z.string(),
  arguments: z.string(),
});
export const FunctionCallOutputItem = z.object({
  type: z.literal("function_call_output"),
  id: z.string(),
  status: ResponseStatus,
  call_id: z.string(),
  output: z.string(),
});
export const ResponseOutputItem = z.discriminatedUnion("type", [MessageItem, FunctionCallItem, FunctionCallOutputItem]);
export type MessageItem = z.infer<typeof MessageItem>;
export type ResponseOutputItem = z.infer<typeof ResponseOutputItem>;

/**
 * Why a response failed. Not in the SDK's `ResponseObject` (which says a failure "is reported by the
 * status itself"), but the SDK keeps unknown fields and Open Responses, whose conventions the
 * platform follows, names it `error`: it is sent on `failed` responses only.
 */
export const ResponseError = z.object({ code: z.string(), message: z.string() });
export type ResponseError = z.infer<typeof ResponseError>;

export const ResponseObject = z.object({
  id: z.string(),
  type: z.literal("response"),
  object: z.literal("response"),
  status: ResponseStatus,
  /** Always sent; non-null only on `incomplete`, which the emulator never produces. */
  incomplete_details: z.object({ reason: z.string() }).nullable(),
  error: ResponseError.optional(),
  output: z.array(ResponseOutputItem),
  usage: z.object({ input_tokens: z.number().int(), output_tokens: z.number().int() }).optional(),
  session_id: z.string(),
  knowledge_store_id: z.string(),
  created_at: z.string(),
});
export type ResponseObject = z.infer<typeof ResponseObject>;

/** The SSE event types of SDK `ResponseStreamEvent`, in the order a stream can emit them. */
export const ResponseStreamEventType = z.enum([
  "response.created",
  "response.in_progress",
  "response.output_item.added",
  "response.content_part.added",
  "response.output_text.delta",
  "response.output_text.done",
  "response.content_part.done",
  "response.function_call_arguments.done",
  "response.output_item.done",
  "response.completed",
  "response.failed",
]);
export type ResponseStreamEventType = z.infer<typeof ResponseStreamEventType>;

/**
 * A response as the gateway serves it: the platform's answer kept as it came (unknown fields pass
 * through), or a skeleton while it is `queued` / `in_progress` or when it failed without one.
 */
export const GatewayResponse = z
  .object({
    id: z.string(),
    object: z.literal("response").optional(),
    status: GatewayResponseStatus,
    session_id: z.string().nullish(),
    knowledge_store_id: z.string().optional(),
    output: z.array(z.record(z.string(), z.unknown())),
    created_at: z.union([z.string(), z.number()]).optional(),
    /** Why a response failed without an answer from the platform (Reelay's addition). */
    error: ResponseError.nullish(),
  })
  .loose();
export type GatewayResponse = z.infer<typeof GatewayResponse>;

// ---------- the request ----------

export const ResponseInputMessage = z.object({
  type: z.literal("message"),
  role: z.literal("user"),
  content: z.string().min(1).max(10_000),
});

export const ResponseSelection = z.object({ kind: z.enum(["item", "collection"]), id: z.string().min(1) });

export const CreateResponseBody = z
  .object({
    knowledge_store_id: z.string().min(1).optional(),
    /** The VCS doc set's alternative to `knowledge_store_id`: exactly one store tool. */
    tools: z.array(z.object({ type: z.literal("knowledge_store"), knowledge_store_id: z.string().min(1) })).optional(),
    input: z.array(ResponseInputMessage).min(1),
    session_id: z.string().min(1).optional(),
    instructions: z.string().max(100_000).optional(),
    include: z.array(z.literal("intermediate_outputs")).optional(),
    selections: z.array(ResponseSelection).optional(),
    text: z.record(z.string(), z.unknown()).optional(),
    /** Required by the April contract, gone in July: accepted when it names the one model. */
    model: z.literal("jockey1.0").optional(),
    metadata: StringMap.optional(),
    stream: z.boolean().optional(),
    /**
     * Reelay's addition: answer 202 with the response `queued` at once; the answer is fetched with
     * GET /responses/{id} or received as a `response.completed` webhook.
     */
    background: z.boolean().optional(),
  })
  .superRefine((body, ctx) => {
    const viaTools = body.tools?.length ?? 0;
    if (!body.knowledge_store_id && viaTools === 0) {
      ctx.addIssue({ code: "invalid_type", expected: "string", path: ["knowledge_store_id"], message: "knowledge_store_id is required", input: undefined });
    } else if ((body.knowledge_store_id ? 1 : 0) + viaTools > 1) {
      ctx.addIssue({ code: "custom", path: ["knowledge_store_id"], message: "name exactly one knowledge store" });
    }
  })
  .transform(({ tools, ...body }) => ({
    ...body,
    knowledge_store_id: (body.knowledge_store_id ?? tools?.[0]?.knowledge_store_id) as string,
  }));
export type CreateResponseBody = z.infer<typeof CreateResponseBody>;
