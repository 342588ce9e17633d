import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { AppError } from "@reelay/contract";
import { isAddressAllowed, type PrivateTargets } from "@reelay/net";

function refused(url: string, why: string): AppError {
  return new AppError({
    code: "webhook/url_not_allowed",
    platformCode: "parameter_invalid",
    status: 400,
    message: `The url parameter is invalid: ${why}`,
    errors: [{ field: "url", message: why }],
  });
}

/**
 * Refuses receivers on private, loopback or link-local addresses unless the configuration allows
 * them. A name that does not resolve yet is accepted (the receiver may not be deployed yet): the
 * worker checks the resolved address again at every delivery, and connects only to what it checked.
 */
export async function checkWebhookUrl(url: string, policy: PrivateTargets): Promise<void> {
  if (policy === "all") return;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) {
    if (!isAddressAllowed(host, policy)) throw refused(url, "the address is private, loopback or link-local, which this gateway does not deliver to");
    return;
  }
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true });
  } catch {
    return;
  }
  if (addresses.some((entry) => !isAddressAllowed(entry.address, policy))) {
    throw refused(url, `${host} resolves to a private, loopback or link-local address, which this gateway does not deliver to`);
  }
}
