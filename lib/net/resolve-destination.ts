import { lookup as dnsLookup } from "node:dns/promises";
import { env } from "@/lib/env";
import { isPublicAddress } from "@/lib/net/address-policy";
import { parseHost } from "@/lib/net/parse-host";

/**
 * THE ONE PLACE A CUSTOMER-GIVEN DESTINATION IS CHECKED.
 *
 * Every connection Ebbflow opens to an address a tenant typed (a queue store's Redis or
 * Postgres, an HTTP pull, a notification webhook, and any kind added later: RabbitMQ,
 * MySQL, ...) goes through here first, then connects to the address this returns, never to
 * the name it was given:
 *
 *     const target = await resolveUrlDestination(source.url, 6379);   // or resolveDestination(host, port)
 *     net.connect({ host: target.address, port: target.port });       // the checked address
 *     // TLS: servername = target.servername (the name the tenant typed; undefined for an IP)
 *     // HTTP: pass lookup: pinnedLookup(target) (lib/net/pinned-lookup.ts) so the Host header
 *     //       and SNI keep the name while the socket goes to the checked address.
 *
 * It parses the host the way the OS resolver would (`2130706433`, `0177.0.0.1`, `127.1`,
 * `[::ffff:7f00:1]` are all 127.0.0.1), resolves a name ONCE, and refuses the destination
 * when any address the name resolves to is loopback, private, link-local (169.254.169.254
 * included), CGNAT, unique-local, multicast, broadcast, unspecified, reserved, an IPv6 form
 * embedding one of those, or the host and port of Ebbflow's own Postgres or Redis.
 * Connecting to the returned address (not re-resolving the name) is what defeats DNS
 * rebinding: the name cannot answer differently between the check and the connection.
 *
 * Refusals throw DestinationRefusedError; show tenants only its coarse `reason`, never a
 * server's own error text. With EBBFLOW_ALLOW_PRIVATE_TARGETS=1 (development, tests, the
 * local demo; never production) loopback and private addresses are allowed.
 */

/** Why a destination was refused. Tenants see only these words (see `coarseMessage`). */
export type RefusalReason = "private_address" | "invalid_host" | "unresolvable";

export class DestinationRefusedError extends Error {
  readonly reason: RefusalReason;

  constructor(reason: RefusalReason, options: { cause?: unknown } = {}) {
    super(coarseMessage(reason), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DestinationRefusedError";
    this.reason = reason;
  }
}

export function isDestinationRefusedError(error: unknown): error is DestinationRefusedError {
  return error instanceof DestinationRefusedError;
}

/**
 * What a tenant is told. Ebbflow's own services are refused with the same words as any
 * private address, so the answer does not confirm where they are.
 */
export function coarseMessage(reason: RefusalReason): string {
  switch (reason) {
    case "private_address":
      return "refused: private address. Ebbflow only connects to hosts on the public internet.";
    case "invalid_host":
      return "refused: the host is not a valid host name or IP address.";
    case "unresolvable":
      return "unreachable: the host name does not resolve.";
  }
}

/** A checked destination: connect to `address`:`port`; use `servername` for TLS SNI and checks. */
export interface Destination {
  /** The IP address to connect to (IPv6 without brackets). */
  address: string;
  family: 4 | 6;
  port: number;
  /** The host as the tenant wrote it (brackets removed), for Host headers and logs. */
  host: string;
  /** The DNS name for TLS SNI and certificate checks; undefined when the host is an IP. */
  servername: string | undefined;
}

/** Resolves a DNS name to all its addresses (the shape of `dns.promises.lookup(name, { all: true })`). */
export type LookupAll = (name: string) => Promise<{ address: string; family: number }[]>;

export interface ResolveOptions {
  /** Allow loopback and private addresses; defaults to EBBFLOW_ALLOW_PRIVATE_TARGETS. */
  allowPrivate?: boolean;
  /** The resolver; defaults to the one set by `configureDestinationLookup`, else the OS resolver. */
  lookup?: LookupAll;
  /** host:port pairs that are Ebbflow's own services; defaults to DATABASE_URL's and REDIS_URL's. */
  ownServices?: { host: string; port: number }[];
}

const systemLookup: LookupAll = (name) => dnsLookup(name, { all: true, verbatim: true });
let defaultLookup: LookupAll = systemLookup;

/**
 * Replaces the resolver every destination uses (tests inject one they control; a caching
 * resolver could go here). `undefined` restores the OS resolver.
 */
export function configureDestinationLookup(lookup: LookupAll | undefined): void {
  defaultLookup = lookup ?? systemLookup;
  ownServiceCache = undefined;
}

/**
 * Checks `host`:`port` and answers the one address to connect to, or throws
 * DestinationRefusedError. See the top of this file.
 */
export async function resolveDestination(host: string, port: number, options: ResolveOptions = {}): Promise<Destination> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new DestinationRefusedError("invalid_host");
  const parsed = parseHost(host);
  if (parsed.kind === "invalid") throw new DestinationRefusedError("invalid_host");
  const lookup = options.lookup ?? defaultLookup;
  const candidates = parsed.kind === "ip" ? [{ address: parsed.address, family: parsed.family }] : await resolveName(parsed.name, lookup);
  const allowPrivate = options.allowPrivate ?? env().EBBFLOW_ALLOW_PRIVATE_TARGETS;
  if (!allowPrivate) {
    if (candidates.some((candidate) => !isPublicAddress(candidate.address, candidate.family))) {
      throw new DestinationRefusedError("private_address");
    }
    const own = await ownServiceAddresses(options.ownServices, lookup);
    if (candidates.some((candidate) => own.has(endpointKey(candidate.address, port)))) {
      throw new DestinationRefusedError("private_address");
    }
  }
  const chosen = candidates[0];
  if (!chosen) throw new DestinationRefusedError("unresolvable");
  const bare = host.trim().replace(/^\[|\]$/g, "");
  return { address: chosen.address, family: chosen.family, port, host: bare, servername: parsed.kind === "name" ? parsed.name : undefined };
}

/**
 * The checked destination of a URL (`redis://…`, `postgres://…`, `https://…`, `amqp://…`):
 * host and port from the URL, `defaultPort` when it names none. Throws
 * DestinationRefusedError("invalid_host") for a URL that does not parse.
 */
export async function resolveUrlDestination(url: string | URL, defaultPort: number, options: ResolveOptions = {}): Promise<Destination & { url: URL }> {
  let parsed: URL;
  try {
    parsed = typeof url === "string" ? new URL(url) : url;
  } catch {
    throw new DestinationRefusedError("invalid_host");
  }
  const port = parsed.port === "" ? defaultPort : Number(parsed.port);
  return { ...(await resolveDestination(parsed.hostname, port, options)), url: parsed };
}

async function resolveName(name: string, lookup: LookupAll): Promise<{ address: string; family: 4 | 6 }[]> {
  let answers: { address: string; family: number }[];
  try {
    answers = await lookup(name);
  } catch (error) {
    throw new DestinationRefusedError("unresolvable", { cause: error });
  }
  if (answers.length === 0) throw new DestinationRefusedError("unresolvable");
  // Judge what the resolver answered exactly as a typed address would be judged.
  return answers.map(({ address }) => {
    const parsed = parseHost(address);
    if (parsed.kind !== "ip") throw new DestinationRefusedError("unresolvable");
    return { address: parsed.address, family: parsed.family };
  });
}

/** IPv4-mapped IPv6 and plain IPv4 name the same endpoint. */
function endpointKey(address: string, port: number): string {
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  const v4 = mapped ? [parseInt(mapped[1] ?? "0", 16), parseInt(mapped[2] ?? "0", 16)].flatMap((word) => [word >> 8, word & 0xff]).join(".") : address;
  return `${v4}|${port}`;
}

const OWN_SERVICES_TTL_MS = 5 * 60_000;
let ownServiceCache: { atMs: number; keys: Set<string> } | undefined;

/** Every address:port of Ebbflow's own Postgres and Redis, resolved now and then. */
async function ownServiceAddresses(given: ResolveOptions["ownServices"], lookup: LookupAll): Promise<Set<string>> {
  if (!given && ownServiceCache && Date.now() - ownServiceCache.atMs < OWN_SERVICES_TTL_MS) return ownServiceCache.keys;
  const services = given ?? ownServicesFromEnv();
  const keys = new Set<string>();
  for (const { host, port } of services) {
    const parsed = parseHost(host);
    if (parsed.kind === "ip") keys.add(endpointKey(parsed.address, port));
    if (parsed.kind !== "name") continue;
    // If our own name does not resolve right now, nothing can reach it through it either.
    const answers = await resolveName(parsed.name, lookup).catch(() => []);
    for (const answer of answers) keys.add(endpointKey(answer.address, port));
  }
  if (!given) ownServiceCache = { atMs: Date.now(), keys };
  return keys;
}

function ownServicesFromEnv(): { host: string; port: number }[] {
  const { DATABASE_URL, REDIS_URL } = env();
  return [
    [DATABASE_URL, 5432],
    [REDIS_URL, 6379],
  ].map(([raw, defaultPort]) => {
    const url = new URL(String(raw));
    return { host: url.hostname, port: url.port ? Number(url.port) : Number(defaultPort) };
  });
}
