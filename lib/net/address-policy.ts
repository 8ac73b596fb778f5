import { BlockList } from "node:net";
import { ipv6Bytes } from "@/lib/net/parse-host";

/*
 * The ranges no customer-given destination may reach, as one `net.BlockList` per family.
 * BlockList compares parsed addresses, not strings, so every textual spelling of an address
 * (zero-compressed, upper case, dotted IPv4 tail, IPv4-mapped `::ffff:a.b.c.d`) is judged the
 * same; a hand-written prefix matcher got some of those wrong.
 */
const ranges: [string, number, "ipv4" | "ipv6"][] = [
  ["0.0.0.0", 8, "ipv4"], // "this network", includes the unspecified 0.0.0.0
  ["10.0.0.0", 8, "ipv4"], // private (RFC 1918)
  ["100.64.0.0", 10, "ipv4"], // carrier-grade NAT
  ["127.0.0.0", 8, "ipv4"], // loopback
  ["169.254.0.0", 16, "ipv4"], // link-local, cloud metadata (169.254.169.254)
  ["172.16.0.0", 12, "ipv4"], // private (RFC 1918)
  ["192.0.0.0", 24, "ipv4"], // IETF protocol assignments
  ["192.0.2.0", 24, "ipv4"], // documentation
  ["192.88.99.0", 24, "ipv4"], // 6to4 relay anycast
  ["192.168.0.0", 16, "ipv4"], // private (RFC 1918)
  ["198.18.0.0", 15, "ipv4"], // benchmarking
  ["198.51.100.0", 24, "ipv4"], // documentation
  ["203.0.113.0", 24, "ipv4"], // documentation
  ["224.0.0.0", 4, "ipv4"], // multicast
  ["240.0.0.0", 4, "ipv4"], // reserved, includes broadcast 255.255.255.255
  ["::", 128, "ipv6"], // unspecified
  ["::1", 128, "ipv6"], // loopback
  ["64:ff9b:1::", 48, "ipv6"], // local-use NAT64: where the IPv4 sits is the operator's choice
  ["100::", 64, "ipv6"], // discard-only
  ["2001::", 32, "ipv6"], // Teredo: the embedded IPv4 is obfuscated
  ["2001:2::", 48, "ipv6"], // benchmarking
  ["2001:10::", 28, "ipv6"], // ORCHID
  ["2001:db8::", 32, "ipv6"], // documentation
  ["3fff::", 20, "ipv6"], // documentation
  ["fc00::", 7, "ipv6"], // unique local (private)
  ["fe80::", 10, "ipv6"], // link-local
  ["fec0::", 10, "ipv6"], // site-local (deprecated)
  ["ff00::", 8, "ipv6"], // multicast
];

const refused = new BlockList();
for (const [network, prefix, family] of ranges) refused.addSubnet(network, prefix, family);

/**
 * The IPv4 address an IPv6 address carries, for the forms that reach it: IPv4-mapped
 * (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d), NAT64
 * (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
 */
function embeddedIPv4(address: string): string | null {
  const bytes = ipv6Bytes(address);
  const zero = (from: number, to: number) => bytes.slice(from, to).every((byte) => byte === 0);
  const tail = bytes.slice(12, 16).join(".");
  if (zero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return tail;
  if (zero(0, 12)) return tail;
  if (zero(0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zero(10, 12)) return tail;
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zero(4, 12)) return tail;
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6).join(".");
  return null;
}

/**
 * Whether a customer-given destination may connect to `address` (an IP address, already
 * parsed; see parse-host.ts). False for loopback, private, link-local, CGNAT, unique-local,
 * multicast, broadcast, unspecified, documentation and reserved ranges, and for any IPv6
 * address that embeds an IPv4 address in one of them.
 */
export function isPublicAddress(address: string, family: 4 | 6): boolean {
  if (family === 4) return !refused.check(address, "ipv4");
  if (refused.check(address, "ipv6")) return false;
  const inner = embeddedIPv4(address);
  return inner === null || !refused.check(inner, "ipv4");
}
