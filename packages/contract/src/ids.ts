import { randomBytes } from "node:crypto";

/** RFC 9562 UUIDv7: time-ordered, so ids sort by creation like the platform's. */
export function uuidv7(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The platform's asset ids are 24-hex, ObjectId-like: 4 bytes of seconds, 8 random. */
export function newAssetId(now = Date.now()): string {
  const bytes = randomBytes(12);
  bytes.writeUInt32BE(Math.floor(now / 1000), 0);
  return bytes.toString("hex");
}

export const idPrefix = {
  knowledgeStore: "ks_",
  item: "ksi_",
  collection: "ksic_",
  search: "kss_",
  response: "resp_",
  session: "sess_",
  job: "job_",
  event: "evt_",
  tenant: "ten_",
  apiKey: "key_",
  webhookEndpoint: "we_",
  webhookDelivery: "whd_",
  webhookAttempt: "wha_",
} as const;

export function newId(kind: keyof typeof idPrefix): string {
  return `${idPrefix[kind]}${uuidv7()}`;
}

export const assetIdPattern = /^[0-9a-f]{24}$/;
