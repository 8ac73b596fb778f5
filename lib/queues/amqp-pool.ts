import amqp, { type ChannelModel } from "amqplib";
import { ConnectionPool, type Lease } from "@/lib/queues/connection-pool";
import { ProbeError, checkedProbeDestination, connectionProbeError, errorMessage } from "@/lib/queues/errors";
import { PROBE_TIMEOUT_MS } from "@/lib/queues/limits";

/** Where an AMQP connection goes, and what it says once there. */
export interface AmqpTarget {
  protocol: "amqp" | "amqps";
  /** The host the socket connects to. */
  host: string;
  port: number;
  /** The name TLS verifies the certificate against (the URL's host). */
  servername: string;
  username: string;
  password: string;
  vhost: string;
}

/**
 * The one place an AMQP probe decides where to connect: host and port from the URL, the
 * default ports of amqp (5672) and amqps (5671), and the vhost as RabbitMQ reads it (the
 * URL's path without its leading slash, percent-decoded; none means "/").
 */
export function connectionTarget(url: string): AmqpTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ProbeError("invalid_config", "The AMQP URL is not a valid URL.");
  }
  const protocol = parsed.protocol === "amqps:" ? "amqps" : parsed.protocol === "amqp:" ? "amqp" : null;
  if (!protocol) throw new ProbeError("invalid_config", "The broker URL must start with amqp:// or amqps://.");
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  if (!host) throw new ProbeError("invalid_config", "The AMQP URL has no host.");
  const path = parsed.pathname.replace(/^\//, "");
  return {
    protocol,
    host,
    port: parsed.port ? Number(parsed.port) : protocol === "amqps" ? 5671 : 5672,
    servername: host,
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    vhost: path ? decodeURIComponent(path) : "/",
  };
}

const broken = new WeakSet<ChannelModel>();

async function openAmqp(url: string): Promise<ChannelModel> {
  const target = connectionTarget(url);
  const destination = await checkedProbeDestination(target.host, target.port);
  let model: ChannelModel;
  try {
    model = await amqp.connect(
      {
        protocol: target.protocol,
        hostname: destination.address,
        port: destination.port,
        username: target.username,
        password: target.password,
        vhost: target.vhost,
      },
      { timeout: PROBE_TIMEOUT_MS, servername: target.servername, clientProperties: { connection_name: "ebbflow-probe" } },
    );
  } catch (error) {
    throw amqpProbeError(error);
  }
  // A broken connection is noticed through isHealthy; without listeners these would throw.
  model.on("error", () => broken.add(model));
  model.on("close", () => broken.add(model));
  return model;
}

const pool = new ConnectionPool<ChannelModel>(
  "amqp",
  {
    create: openAmqp,
    destroy: (model) => model.close(),
    isHealthy: (model) => !broken.has(model),
  },
  { maxOpen: 100, idleMs: 30_000 },
);

export async function closeAmqpProbePool(): Promise<void> {
  await pool.closeAll();
}

/** Classifies an amqplib error: refused credentials, missing vhost, timeout, unreachable. */
export function amqpProbeError(error: unknown): ProbeError {
  if (error instanceof ProbeError) return error;
  const message = errorMessage(error);
  if (/ACCESS_REFUSED|ACCESS-REFUSED|403|Handshake terminated|PLAIN login refused/i.test(message)) {
    return new ProbeError(
      "auth_failed",
      "RabbitMQ refused the credentials in the URL. Copy the current broker URL (CLOUDAMQP_URL) from the app's config vars.",
      { cause: error },
    );
  }
  if (/NOT_ALLOWED|not allowed to access vhost|vhost .* not found|Expected ConnectionOpenOk/i.test(message)) {
    return new ProbeError("auth_failed", "RabbitMQ did not let this user open the virtual host named in the URL (its path): check that the vhost exists and that the user may use it.", {
      cause: error,
    });
  }
  return connectionProbeError(error, "RabbitMQ", PROBE_TIMEOUT_MS);
}

/** Runs `use` with the pooled AMQP connection for `url`; a connection that failed is discarded. */
export async function withAmqp<R>(url: string, use: (lease: Lease<ChannelModel>) => Promise<R>): Promise<R> {
  try {
    return await pool.with(url, use);
  } catch (error) {
    const probeError = amqpProbeError(error);
    if (probeError.kind === "unreachable" || probeError.kind === "timeout" || probeError.kind === "auth_failed") {
      await pool.discard(url);
    }
    throw probeError;
  }
}
