import { describe, expect, it } from "vitest";
import { blockedReason, parseIPv6 } from "@/lib/queues/pull/address-filter";

describe("pull address filter", () => {
  it.each([
    "127.0.0.1",
    "127.255.0.9",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::a9fe:a9fe",
    "2002:c0a8:0101::1",
    "::127.0.0.1",
  ])("refuses %s", (address) => {
    expect(blockedReason(address)).not.toBeNull();
  });

  it.each(["8.8.8.8", "172.32.0.1", "54.243.1.2", "2606:4700:4700::1111", "::ffff:8.8.8.8", "2002:0808:0808::1"])(
    "allows %s",
    (address) => {
      expect(blockedReason(address)).toBeNull();
    },
  );

  it("refuses what is not an address", () => {
    expect(blockedReason("example.com")).toMatch(/not an IP address/);
  });

  it("parses IPv6 with embedded IPv4 and zone ids", () => {
    expect(parseIPv6("::ffff:1.2.3.4")?.slice(10)).toEqual([0xff, 0xff, 1, 2, 3, 4]);
    expect(parseIPv6("fe80::1%eth0")?.slice(0, 2)).toEqual([0xfe, 0x80]);
    expect(parseIPv6("[::1]")?.[15]).toBe(1);
  });
});
