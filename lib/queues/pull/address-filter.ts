import { isIP } from "node:net";

/**
 * Which addresses a pull may connect to. A pull fetches a URL the customer typed, from
 * inside Ebbflow's network; without this check that URL could point at Ebbflow's own
 * services, the cloud's metadata endpoint (169.254.169.254) or anything else private.
 * Every address a host name resolves to is checked, and the connection is then made to a
 * checked address, so a DNS answer that changes between check and connect cannot slip in.
 */

/** [first address bytes, prefix length, why] of every range a pull must not reach. */
const blockedV4: [number[], number, string][] = [
  [[0, 0, 0, 0], 8, "this network"],
  [[10, 0, 0, 0], 8, "private"],
  [[100, 64, 0, 0], 10, "carrier-grade NAT"],
  [[127, 0, 0, 0], 8, "loopback"],
  [[169, 254, 0, 0], 16, "link-local"],
  [[172, 16, 0, 0], 12, "private"],
  [[192, 0, 0, 0], 24, "IETF protocol assignments"],
  [[192, 0, 2, 0], 24, "documentation"],
  [[192, 88, 99, 0], 24, "6to4 relay"],
  [[192, 168, 0, 0], 16, "private"],
  [[198, 18, 0, 0], 15, "benchmarking"],
  [[198, 51, 100, 0], 24, "documentation"],
  [[203, 0, 113, 0], 24, "documentation"],
  [[224, 0, 0, 0], 4, "multicast"],
  [[240, 0, 0, 0], 4, "reserved"],
];

const blockedV6: [number[], number, string][] = [
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 128, "unspecified"],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 128, "loopback"],
  [[0x01, 0x00, 0, 0, 0, 0, 0, 0], 64, "discard-only"],
  [[0x20, 0x01, 0x0d, 0xb8], 32, "documentation"],
  [[0xfc], 7, "unique local (private)"],
  [[0xfe, 0x80], 10, "link-local"],
  [[0xfe, 0xc0], 10, "site-local"],
  [[0xff], 8, "multicast"],
];

function inPrefix(bytes: number[], prefix: number[], bits: number): boolean {
  for (let bit = 0; bit < bits; bit += 1) {
    const index = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((bytes[index] ?? 0) & mask) !== ((prefix[index] ?? 0) & mask)) return false;
  }
  return true;
}

export function parseIPv4(address: string): number[] | null {
  if (isIP(address) !== 4) return null;
  return address.split(".").map(Number);
}

/** 16 bytes of an IPv6 address, including the `::ffff:1.2.3.4` dotted forms. */
export function parseIPv6(address: string): number[] | null {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (isIP(bare) !== 6) return null;
  let text = bare;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = parseIPv4(dotted[1]);
    if (!v4) return null;
    const [a = 0, b = 0, c = 0, d = 0] = v4;
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(missing).fill("0"), ...tailGroups];
  if (groups.length !== 8) return null;
  return groups.flatMap((group) => {
    const value = parseInt(group, 16);
    return [(value >> 8) & 0xff, value & 0xff];
  });
}

/** The embedded IPv4 address of IPv4-mapped, IPv4-compatible, NAT64 and 6to4 addresses. */
function embeddedIPv4(bytes: number[]): number[] | null {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((byte) => byte === 0);
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12, 16); // ::ffff:a.b.c.d
  if (zeros(0, 12) && !zeros(12, 16)) return bytes.slice(12, 16); // ::a.b.c.d (deprecated)
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)) return bytes.slice(12, 16); // 64:ff9b::/96
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6); // 2002::/16 6to4
  return null;
}

/**
 * Why `address` must not be reached, or null if it may. Anything that is not an IP address
 * is refused: this runs on resolved addresses only.
 */
export function blockedReason(address: string): string | null {
  const v4 = parseIPv4(address);
  if (v4) {
    const hit = blockedV4.find(([prefix, bits]) => inPrefix(v4, prefix, bits));
    return hit ? `${address} is a ${hit[2]} address` : address === "255.255.255.255" ? `${address} is broadcast` : null;
  }
  const v6 = parseIPv6(address);
  if (!v6) return `${address} is not an IP address`;
  const inner = embeddedIPv4(v6);
  if (inner) {
    const innerReason = blockedReason(inner.join("."));
    if (innerReason) return `${address} embeds ${innerReason}`;
  }
  const hit = blockedV6.find(([prefix, bits]) => inPrefix(v6, prefix, bits));
  return hit ? `${address} is a ${hit[2]} address` : null;
}
