import { Webhook } from "standardwebhooks";

const signers = new Map<string, Webhook>();

function signer(secret: string): Webhook {
  let webhook = signers.get(secret);
  if (!webhook) {
    // Secrets are few and long-lived; the cache only saves decoding the key per delivery.
    if (signers.size > 10_000) signers.clear();
    signers.set(secret, (webhook = new Webhook(secret)));
  }
  return webhook;
}

/**
 * The `webhook-signature` header per Standard Webhooks: `v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">`, one per live secret, space-separated (during a rotation both sign).
 */
export function signatureHeader(secrets: readonly string[], messageId: string, timestamp: Date, body: string): string {
  return secrets.map((secret) => signer(secret).sign(messageId, timestamp, body)).join(" ");
}
