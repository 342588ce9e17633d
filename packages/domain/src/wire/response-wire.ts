import type { GatewayResponse } from "@reelay/contract";
import type { Response } from "@reelay/db";

export type ResponseWire = GatewayResponse & { job_id: string | null };

/** Why a response failed, as stored: the upstream's own error where there was one. */
export interface StoredResponseError {
  /** The HTTP status a waiting caller is answered with (4xx: the request was at fault). */
  status: number;
  code: string;
  message: string;
}

/**
 * A stored response in the platform's shape: the platform's answer once there is one, otherwise
 * a skeleton carrying the status (`queued`, `in_progress`, or `failed` with its `error`).
 */
export function toResponseWire(response: Response): ResponseWire {
  if (response.body) return { ...(response.body as GatewayResponse), job_id: response.jobId };
  const error = response.error as StoredResponseError | null;
  return {
    id: response.id,
    object: "response",
    status: response.status,
    knowledge_store_id: response.knowledgeStoreId,
    output: [],
    created_at: response.createdAt.toISOString(),
    ...(error ? { error: { code: error.code, message: error.message } } : {}),
    job_id: response.jobId,
  };
}
