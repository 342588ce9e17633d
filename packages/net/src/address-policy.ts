import { BlockList, isIP } from "node:net";
import { z } from "zod";

/**
 * Which non-public addresses outbound requests (webhook deliveries, the emulator's URL downloads)
 * may reach: `none` (public internet only), `loopback` (also 127.0.0.0/8 and ::1, for local runs,
 * the demo and tests) or `all`.
 */
export const PrivateTargets = z.enum(["none", "loopback", "all"]);
export type PrivateTargets = z.infer<typeof PrivateTargets>;

export type AddressClass = "public" | "loopback" | "private";

const LOOPBACK_V4: ReadonlyArray<readonly [string, number]> = [["127.0.0.0", 8]];

/** IPv4 ranges that are not the public internet: RFC 6890 special-purpose blocks, multicast, reserved. */
const NON_PUBLIC_V4: ReadonlyArray<readonly [string, number]> = [
  ["0.0.0.0", 8], // "this network"; connecting to 0.0.0.0 reaches the local host on Linux
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["169.254.0.0", 16], // link-local, where cloud metadata services answer
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and the broadcast address
];

const NON_PUBLIC_V6: ReadonlyArray<readonly [string, number]> = [
  ["::", 96], // unspecified and the deprecated IPv4-compatible form (::1 is tested as loopback first)
  ["64:ff9b:1::", 48], // local-use NAT64
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // deprecated site-local
  ["ff00::", 8], // multicast
];

/**
 * An IPv4 range also reaches the network when written inside IPv6: IPv4-mapped (::ffff:a.b.c.d),
 * NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::). Each IPv4 rule is added in all four forms so
 * `::ffff:7f00:1` is as loopback as 127.0.0.1, whatever the notation.
 */
function addV4(list: BlockList, address: string, prefix: number): void {
  list.addSubnet(address, prefix, "ipv4");
  list.addSubnet(`::ffff:${address}`, 96 + prefix, "ipv6");
  list.addSubnet(`64:ff9b::${address}`, 96 + prefix, "ipv6");
  const [a = 0, b = 0, c = 0, d = 0] = address.split(".").map(Number);
  const hex = (high: number, low: number) => ((high << 8) | low).toString(16);
  list.addSubnet(`2002:${hex(a, b)}:${hex(c, d)}::`, 16 + prefix, "ipv6");
}

const loopback = new BlockList();
for (const [address, prefix] of LOOPBACK_V4) addV4(loopback, address, prefix);
loopback.addAddress("::1", "ipv6");

const nonPublic = new BlockList();
for (const [address, prefix] of NON_PUBLIC_V4) addV4(nonPublic, address, prefix);
for (const [address, prefix] of NON_PUBLIC_V6) nonPublic.addSubnet(address, prefix, "ipv6");

/** Classifies an IP literal; anything that is not a valid address counts as private, to fail closed. */
export function classifyAddress(address: string): AddressClass {
  // A scope id (fe80::1%eth0) is not part of the address.
  const bare = address.replace(/%.*$/, "");
  const version = isIP(bare);
  if (version === 0) return "private";
  const family = version === 4 ? "ipv4" : "ipv6";
  if (loopback.check(bare, family)) return "loopback";
  if (nonPublic.check(bare, family)) return "private";
  return "public";
}

export function isAddressAllowed(address: string, policy: PrivateTargets): boolean {
  const kind = classifyAddress(address);
  return kind === "public" || policy === "all" || (policy === "loopback" && kind === "loopback");
}
