import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { classifyAddress, isAddressAllowed, type PrivateTargets } from "./address-policy.ts";

/** The target is an address the policy refuses (or resolves to one). Internal detail, for logs. */
export class TargetRefused extends Error {
  readonly code = "ETARGETREFUSED";
  constructor(message: string) {
    super(message);
    this.name = "TargetRefused";
  }
}

/**
 * Checks the host of a URL written as an IP literal: Node connects to a literal without calling
 * `lookup`, so `guardedLookup` alone would never see it. Throws TargetRefused.
 */
export function assertLiteralAllowed(url: URL, policy: PrivateTargets): void {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (isIP(host) && !isAddressAllowed(host, policy)) throw new TargetRefused(`${host} is a ${classifyAddress(host)} address`);
}

/**
 * A `lookup` for http(s).request / net.connect: resolves like `dns.lookup`, then refuses the host
 * if any of its addresses is not allowed (which of them a connection would use is not ours to
 * choose). The connection goes to an address checked here, so a DNS answer that changes between
 * a check and the connect (rebinding) cannot slip through.
 */
export function guardedLookup(policy: PrivateTargets): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "");
      const refused = addresses.find((entry) => !isAddressAllowed(entry.address, policy));
      if (refused) return callback(new TargetRefused(`${hostname} resolves to ${refused.address}, a ${classifyAddress(refused.address)} address`), "");
      const first = addresses[0];
      if (!first) return callback(new TargetRefused(`${hostname} resolves to no address`), "");
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}
