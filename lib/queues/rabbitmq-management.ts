import http from "node:http";
import https from "node:https";
import { z } from "zod";
import { ProbeError, checkedProbeDestination, connectionProbeError } from "@/lib/queues/errors";
import { MAX_QUEUES } from "@/lib/queues/schema";
import { PROBE_TIMEOUT_MS } from "@/lib/queues/limits";

/** Largest management API answer read: a page of 200 queues with five columns is far less. */
const MAX_BYTES = 1024 * 1024;

/** Where a management API request goes, and the credentials it sends. */
export interface ManagementTarget {
  protocol: "http" | "https";
  /** The host the socket connects to. */
  host: string;
  port: number;
  /** The name TLS verifies the certificate against and the Host header names. */
  servername: string;
  /** The URL's path, without a trailing slash (CloudAMQP serves the API at /api). */
  basePath: string;
  username: string;
  password: string;
}

/**
 * The one place a management API request decides where to connect. The credentials are the
 * management URL's own, or else the broker URL's (CloudAMQP uses the same for both).
 */
export function managementTarget(managementUrl: string, fallback: { username: string; password: string }): ManagementTarget {
  let parsed: URL;
  try {
    parsed = new URL(managementUrl);
  } catch {
    throw new ProbeError("invalid_config", "The management API URL is not a valid URL.");
  }
  const protocol = parsed.protocol === "https:" ? "https" : parsed.protocol === "http:" ? "http" : null;
  if (!protocol) throw new ProbeError("invalid_config", "The management API URL must start with https:// (or http://).");
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const hasOwn = parsed.username !== "" || parsed.password !== "";
  return {
    protocol,
    host,
    port: parsed.port ? Number(parsed.port) : protocol === "https" ? 443 : 80,
    servername: host,
    basePath: parsed.pathname.replace(/\/+$/, "").replace(/\/api$/, ""),
    username: hasOwn ? decodeURIComponent(parsed.username) : fallback.username,
    password: hasOwn ? decodeURIComponent(parsed.password) : fallback.password,
  };
}

const count = z.number().int().min(0);

/** A queue as the management API describes it; counters are absent until its first stats. */
export const managedQueueSchema = z.object({
  name: z.string(),
  messages_ready: count.optional(),
  messages_unacknowledged: count.optional(),
  consumers: count.optional(),
  /** Seconds since the epoch: the `timestamp` property of the queue's head message, if set. */
  head_message_timestamp: z.number().nullable().optional(),
  auto_delete: z.boolean().optional(),
  exclusive: z.boolean().optional(),
});

export type ManagedQueue = z.infer<typeof managedQueueSchema>;

const pageSchema = z.object({ items: z.array(managedQueueSchema), total_count: count.optional(), filtered_count: count.optional() });

const columns = "name,messages_ready,messages_unacknowledged,consumers,head_message_timestamp,auto_delete,exclusive";

/** One queue of `vhost`; null when the broker has no such queue. */
export async function fetchManagedQueue(target: ManagementTarget, vhost: string, queue: string): Promise<ManagedQueue | null> {
  const path = `/api/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(queue)}?columns=${columns}`;
  const answer = await managementGet(target, path);
  if (answer.status === 404) return null;
  return parseAnswer(answer, managedQueueSchema, path);
}

/** The first MAX_QUEUES queues of `vhost` by name, and how many there are in all. */
export async function fetchManagedQueues(target: ManagementTarget, vhost: string): Promise<{ queues: ManagedQueue[]; total: number }> {
  const path = `/api/queues/${encodeURIComponent(vhost)}?page=1&page_size=${MAX_QUEUES}&sort=name&columns=${columns}`;
  const answer = await managementGet(target, path);
  const page = parseAnswer(answer, pageSchema, path);
  return { queues: page.items, total: page.filtered_count ?? page.total_count ?? page.items.length };
}

function parseAnswer<T>(answer: { status: number; body: string }, schema: z.ZodType<T>, path: string): T {
  if (answer.status === 401 || answer.status === 403) {
    throw new ProbeError(
      "auth_failed",
      "The RabbitMQ management API refused the credentials. The user needs the monitoring (or management) tag; put other credentials in the management URL if the broker's differ.",
      { target: "management API" },
    );
  }
  if (answer.status === 404) {
    throw new ProbeError("bad_response", "The management API answered 404: check the management URL (and that the vhost exists).", {
      target: "management API",
    });
  }
  if (answer.status !== 200) {
    throw new ProbeError("bad_response", `The RabbitMQ management API answered ${answer.status}.`, { target: "management API" });
  }
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    throw new ProbeError("bad_response", "The RabbitMQ management API did not answer JSON: is this the management URL?", {
      target: path.split("?")[0],
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ProbeError("bad_response", "The RabbitMQ management API answered in an unexpected shape.", { target: "management API" });
  }
  return parsed.data;
}

/** A bounded GET: whole-request timeout, size cap, no redirects, basic authentication. */
async function managementGet(target: ManagementTarget, path: string): Promise<{ status: number; body: string }> {
  const client = target.protocol === "https" ? https : http;
  const defaultPort = target.protocol === "https" ? 443 : 80;
  const hostHeader = target.port === defaultPort ? target.servername : `${target.servername}:${target.port}`;
  const authorization = `Basic ${Buffer.from(`${target.username}:${target.password}`).toString("base64")}`;
  const destination = await checkedProbeDestination(target.host, target.port);
  return await new Promise((resolve, reject) => {
    const fail = (error: ProbeError) => {
      clearTimeout(timer);
      request.destroy();
      reject(error);
    };
    const request = client.request(
      {
        host: destination.address,
        port: destination.port,
        servername: target.servername,
        path: `${target.basePath}${path}`,
        method: "GET",
        headers: { accept: "application/json", authorization, host: hostHeader, "user-agent": "Ebbflow-Probe/1" },
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BYTES) {
            fail(new ProbeError("bad_response", "The RabbitMQ management API's answer is larger than 1 MB."));
            return;
          }
          chunks.push(chunk);
        });
        response.on("end", () => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
        });
        response.on("error", (error) => fail(connectionProbeError(error, "The RabbitMQ management API", PROBE_TIMEOUT_MS)));
      },
    );
    const timer = setTimeout(
      () => fail(new ProbeError("timeout", `The RabbitMQ management API did not answer within ${PROBE_TIMEOUT_MS} ms.`)),
      PROBE_TIMEOUT_MS,
    );
    request.on("error", (error) => fail(connectionProbeError(error, "The RabbitMQ management API", PROBE_TIMEOUT_MS)));
    request.end();
  });
}
