import {
  coarseMessage,
  isDestinationRefusedError,
  resolveDestination,
  type Destination,
  type DestinationRefusedError,
} from "@/lib/net/resolve-destination";

/**
 * The one error a probe throws. `kind` says what went wrong in terms a customer can act on;
 * `message` says what to do about it. Messages never contain the connection URL (it holds a
 * password), only the key or table that was being read, and never a server's own error
 * text: a tenant could otherwise map hosts, ports, databases and roles through the errors
 * of connections that fail (the server's text stays in `cause`, for Ebbflow's own logs).
 */
export const probeErrorKinds = [
  "invalid_config",
  "unreachable",
  "auth_failed",
  "timeout",
  "wrong_type",
  "table_missing",
  "unparseable",
  "address_refused",
  "bad_response",
] as const;

export type ProbeErrorKind = (typeof probeErrorKinds)[number];

export class ProbeError extends Error {
  readonly kind: ProbeErrorKind;
  /** The Redis key, SQL table or HTTP path the probe was reading, when there is one. */
  readonly target?: string;

  constructor(kind: ProbeErrorKind, message: string, options: { target?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ProbeError";
    this.kind = kind;
    this.target = options.target;
  }

  toJSON(): { error: "probe_failed"; kind: ProbeErrorKind; message: string; target?: string } {
    return { error: "probe_failed", kind: this.kind, message: this.message, target: this.target };
  }
}

export function isProbeError(error: unknown): error is ProbeError {
  return error instanceof ProbeError;
}

/** Node's socket error codes that mean "nothing answered at that address". */
const unreachableCodes = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNRESET",
  "EPIPE",
]);

export function errorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Classifies a low-level connection failure, shared by the Redis, Postgres and HTTP paths. */
export function connectionProbeError(error: unknown, what: string, timeoutMs: number): ProbeError {
  if (isProbeError(error)) return error;
  const code = errorCode(error);
  const message = errorMessage(error);
  if (code === "ETIMEDOUT" || /timed? ?out|timeout/i.test(message)) {
    return new ProbeError(
      "timeout",
      `${what} did not answer within ${timeoutMs} ms. Check that the host and port are right and that it accepts connections from outside its network.`,
      { cause: error },
    );
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new ProbeError("unreachable", `The host of ${what} does not resolve. Check the host name in the URL.`, {
      cause: error,
    });
  }
  if ((code && unreachableCodes.has(code)) || /ECONNREFUSED|connection is closed|Connection terminated/i.test(message)) {
    return new ProbeError(
      "unreachable",
      `${what} refused or dropped the connection. Check the host and port, and that the server is running.`,
      { cause: error },
    );
  }
  return new ProbeError("unreachable", `Could not connect to ${what}. Check the host and port.`, { cause: error });
}

/** A destination lib/net refused, in its coarse words. */
export function destinationProbeError(error: DestinationRefusedError): ProbeError {
  const kind = error.reason === "unresolvable" ? "unreachable" : error.reason === "invalid_host" ? "invalid_config" : "address_refused";
  return new ProbeError(kind, `${coarseMessage(error.reason)}`, { cause: error });
}

/**
 * The checked address of a probe's destination (lib/net), with a refusal turned into the
 * coarse ProbeError a tenant sees. Every queue-store connector connects to what this returns.
 */
export async function checkedProbeDestination(host: string, port: number): Promise<Destination> {
  try {
    return await resolveDestination(host, port);
  } catch (error) {
    if (isDestinationRefusedError(error)) throw destinationProbeError(error);
    throw error;
  }
}
