import { isIP } from "node:net";

/**
 * What a host written in a URL or a config field really names, before any DNS: an IPv4
 * address in any spelling `inet_aton` accepts (and so the OS resolver would connect to:
 * `2130706433`, `0177.0.0.1`, `0x7f.1`, `127.1`), an IPv6 address (brackets and zone id
 * removed), or a DNS name. Anything else (spaces, `%`, `@`, `/`, empty) is not a host.
 */
export type ParsedHost = { kind: "ip"; address: string; family: 4 | 6 } | { kind: "name"; name: string } | { kind: "invalid" };

const dnsName = /^(?=.{1,253}\.?$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

export function parseHost(raw: string): ParsedHost {
  const host = raw.trim();
  if (host.startsWith("[") !== host.endsWith("]")) return { kind: "invalid" };
  const bare = host.replace(/^\[|\]$/g, "").replace(/%[^%]*$/, "");
  if (isIP(bare) === 6) return { kind: "ip", address: canonicalIPv6(bare), family: 6 };
  if (host.startsWith("[")) return { kind: "invalid" };
  const v4 = parseLegacyIPv4(host);
  if (v4) return { kind: "ip", address: v4, family: 4 };
  if (/^[0-9.]+$/.test(host) || /^0x/i.test(host)) return { kind: "invalid" };
  return dnsName.test(host) ? { kind: "name", name: host.replace(/\.$/, "").toLowerCase() } : { kind: "invalid" };
}

/** `inet_aton`: 1 to 4 parts, each decimal, 0-prefixed octal or 0x hex; the last fills the rest. */
function parseLegacyIPv4(host: string): string | null {
  const parts = host.split(".");
  if (parts.length > 4 || parts.some((part) => part === "")) return null;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x[0-9a-f]*$/i.test(part)) value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]*$/.test(part)) value = parseInt(part, 8);
    else if (/^[1-9][0-9]*$/.test(part)) value = parseInt(part, 10);
    else return null;
    if (!Number.isSafeInteger(value)) return null;
    values.push(value);
  }
  const last = values.pop() ?? 0;
  if (values.some((value) => value > 255)) return null;
  const lastBits = 8 * (4 - values.length);
  if (last >= 2 ** lastBits) return null;
  const bytes = [...values];
  for (let shift = lastBits - 8; shift >= 0; shift -= 8) bytes.push(Math.floor(last / 2 ** shift) % 256);
  return bytes.join(".");
}

/** The 16 bytes of a valid IPv6 address (dotted IPv4 tails included). */
export function ipv6Bytes(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill("0"), ...tailGroups];
  return groups.flatMap((group) => {
    const value = parseInt(group, 16);
    return [(value >> 8) & 0xff, value & 0xff];
  });
}

/** One spelling per IPv6 address (lower case, zeros compressed), as the URL standard writes it. */
function canonicalIPv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.replace(/^\[|\]$/g, "");
}
