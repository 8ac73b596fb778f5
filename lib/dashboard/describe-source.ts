import type { QueueSource } from "@/lib/queues/schema";

/** What the dashboard may show of a stored source: never the URL, only its host. */
export interface SourceSummary {
  backend: string;
  host: string;
  queues: string[];
  namespace: string | null;
  prefix: string | null;
  httpFormat: "hirefire" | "ebbflow" | null;
  hirefireMetric: "depth" | "latency" | null;
  hasHttpToken: boolean;
  /** RabbitMQ: the management API's host, when one is set (its URL may carry a password). */
  managementHost: string | null;
}

/** The host (and port) of a connection URL, or a placeholder when it does not parse. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || "(no host)";
  } catch {
    return "(unreadable URL)";
  }
}

export function describeSource(source: QueueSource): SourceSummary {
  return {
    backend: source.backend,
    host: hostOf(source.url),
    queues: source.queues ?? [],
    namespace: source.namespace ?? null,
    prefix: source.prefix ?? null,
    httpFormat: source.http?.format ?? null,
    hirefireMetric: source.http?.hirefireMetric ?? null,
    hasHttpToken: Boolean(source.http?.token),
    managementHost: source.managementUrl ? hostOf(source.managementUrl) : null,
  };
}
