import { describe, expect, it } from "vitest";
import { classifyAddress, isAddressAllowed } from "./address-policy.ts";

describe("classifyAddress", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["::1", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
  ])("%s is loopback", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each([
    "0.0.0.0",
    "0.1.2.3",
    "10.0.0.5",
    "100.64.0.1",
    "100.127.255.254",
    "169.254.169.254",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "192.0.2.2",
    "224.0.0.1",
    "255.255.255.255",
    "::",
    "::ffff:10.0.0.5",
    "::ffff:a9fe:a9fe",
    "::ffff:192.168.0.1",
    "64:ff9b::a9fe:a9fe",
    "2002:a00:5::1",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fe80::1%eth0",
    "ff02::1",
    "not an address",
  ])("%s is private", (address) => {
    expect(classifyAddress(address)).toBe("private");
  });

  it.each(["8.8.8.8", "100.128.0.1", "172.32.0.1", "192.169.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])("%s is public", (address) => {
    expect(classifyAddress(address)).toBe("public");
  });
});

describe("isAddressAllowed", () => {
  it("none allows public addresses only, loopback adds 127/8 and ::1, all allows everything", () => {
    expect(["8.8.8.8", "127.0.0.1", "10.0.0.1"].map((a) => isAddressAllowed(a, "none"))).toEqual([true, false, false]);
    expect(["8.8.8.8", "127.0.0.1", "::1", "10.0.0.1", "169.254.169.254"].map((a) => isAddressAllowed(a, "loopback"))).toEqual([true, true, true, false, false]);
    expect(["8.8.8.8", "127.0.0.1", "10.0.0.1"].map((a) => isAddressAllowed(a, "all"))).toEqual([true, true, true]);
  });
});
