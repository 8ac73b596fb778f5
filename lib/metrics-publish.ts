import type { Redis } from "ioredis";
import { AggregatorRegistry } from "prom-client";
import { log } from "@/lib/log";
import { registry } from "@/lib/metrics";

const KEY_PREFIX = "ebbflow:metrics:";
const PUBLISH_EVERY_MS = 5_000;
/** A worker that stopped publishing drops out of /metrics after this. */
const TTL_SECONDS = 30;

/** Publishes this process's metrics to Redis every few seconds; returns a stop function. */
export function publishMetrics(redis: Redis, processId: string): () => Promise<void> {
  const publish = async () => {
    await redis.set(`${KEY_PREFIX}${processId}`, JSON.stringify(await registry.getMetricsAsJSON()), "EX", TTL_SECONDS);
  };
  // Metrics are not worth failing a worker over; a missed publish is logged and retried.
  const publishLogged = () => publish().catch((error: unknown) => log.warn({ err: error }, "could not publish metrics"));
  const timer = setInterval(() => void publishLogged(), PUBLISH_EVERY_MS);
  void publishLogged();
  return async () => {
    clearInterval(timer);
    await publishLogged();
  };
}

/** Every live worker's metrics added up, in Prometheus's text format. */
export async function aggregatedMetrics(redis: Redis): Promise<{ contentType: string; body: string }> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${KEY_PREFIX}*`, "COUNT", 100);
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0" && keys.length < 1000);
  const values = keys.length > 0 ? await redis.mget(keys) : [];
  const perProcess: object[] = values.flatMap((value) => (value ? [JSON.parse(value) as object] : []));
  const aggregated = AggregatorRegistry.aggregate(perProcess);
  return { contentType: aggregated.contentType, body: await aggregated.metrics() };
}
