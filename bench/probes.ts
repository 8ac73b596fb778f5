import { randomUUID } from "node:crypto";
import { writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { closeProbeConnections, probeQueues } from "@/lib/queues/probe";
import { configureRedisProbePool, redisProbePoolSize, withRedis } from "@/lib/queues/redis-pool";
import { measureReaderCosts } from "@/bench/lib/reader-costs";

/**
 * Probe costs, measured against the local Redis:
 *
 * 1. Round trips of one Sidekiq probe of 20 named queues (3 processes busy). Counted two
 *    ways: client side, the writes on the pooled connection's socket (ioredis writes a whole
 *    pipeline in one write); server side, the commands Redis executed (INFO commandstats).
 * 2. Connections held while 1 000 tenants (1 000 distinct URLs, so 1 000 pool keys) are
 *    probed back to back with a pool cap: the probe connections in CLIENT LIST, sampled.
 * 3. Round trips and time (p50, p99) of one probe for each of the other readers: Celery on
 *    RabbitMQ (with and without the management API), Delayed Job and Solid Queue on MariaDB,
 *    Queue Classic, Bull and Dramatiq, three queues each (bench/lib/reader-costs.ts).
 *
 *   npm run bench:probes -- [--tenants 1000] [--max-open 50] [--concurrency 8] [--out FILE]
 */
const { values } = parseArgs({
  options: {
    tenants: { type: "string", default: "1000" },
    "max-open": { type: "string", default: "50" },
    concurrency: { type: "string", default: "8" },
    probes: { type: "string", default: "200" },
    out: { type: "string", default: "bench/results/probes.json" },
    redis: { type: "string", default: "redis://127.0.0.1:6379/10" },
  },
});
const tenants = Number(values.tenants);
const maxOpen = Number(values["max-open"]);
const concurrency = Number(values.concurrency);
const probeCount = Number(values.probes);
const baseUrl = values.redis;
const connectionName = `ebbflow-bench-${randomUUID().slice(0, 8)}`;
const namespace = `bench${randomUUID().slice(0, 8)}`;
const queueNames = Array.from({ length: 20 }, (_, index) => `queue${String(index).padStart(2, "0")}`);
const admin = new Redis(baseUrl);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function seed(): Promise<void> {
  const now = Date.now();
  const pipeline = admin.pipeline();
  pipeline.sadd(`${namespace}:queues`, ...queueNames);
  for (const [index, name] of queueNames.entries()) {
    for (let job = 0; job < 5 + index; job += 1) {
      pipeline.lpush(`${namespace}:queue:${name}`, JSON.stringify({ class: "Job", args: [job], queue: name, enqueued_at: now - (60 - job) * 1000 }));
    }
  }
  for (let process = 0; process < 3; process += 1) {
    const identity = `web.${process}:1:${randomUUID().slice(0, 8)}`;
    pipeline.sadd(`${namespace}:processes`, identity);
    pipeline.hset(`${namespace}:${identity}`, "busy", "2", "info", "{}", "beat", String(now / 1000));
    pipeline.hset(`${namespace}:${identity}:work`, "t1", JSON.stringify({ queue: "queue00", payload: "{}", run_at: now / 1000 }));
    pipeline.hset(`${namespace}:${identity}:work`, "t2", JSON.stringify({ queue: "queue01", payload: "{}", run_at: now / 1000 }));
    pipeline.expire(`${namespace}:${identity}`, 600);
  }
  pipeline.zadd(`${namespace}:schedule`, String(now / 1000 + 60), "{}");
  await pipeline.exec();
}

async function cleanup(): Promise<void> {
  for await (const keys of admin.scanStream({ match: `${namespace}:*`, count: 1000 })) {
    if ((keys as string[]).length) await admin.del(...(keys as string[]));
  }
}

async function commandsExecuted(): Promise<number> {
  const info = await admin.info("commandstats");
  return [...info.matchAll(/calls=(\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
}

async function probeConnections(): Promise<number> {
  const list = await admin.client("LIST");
  return String(list)
    .split("\n")
    .filter((line) => line.includes(` name=${connectionName} `)).length;
}

async function roundTripBench() {
  const source = { backend: "sidekiq" as const, url: baseUrl, namespace, queues: queueNames };
  let writes = 0;
  await withRedis(baseUrl, async ({ resource }) => {
    const stream = resource.stream;
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((...args: unknown[]) => {
      writes += 1;
      return write(...args);
    }) as typeof stream.write;
  });
  const measure = async (run: () => Promise<{ roundTrips?: number }>) => {
    const writesBefore = writes;
    const commandsBefore = await commandsExecuted();
    const started = performance.now();
    const result = await run();
    const elapsedMs = performance.now() - started;
    // The INFO call itself counts as one command on the server.
    const commands = (await commandsExecuted()) - commandsBefore - 1;
    return { socketWrites: writes - writesBefore, reportedRoundTrips: result.roundTrips ?? 0, commands, elapsedMs };
  };
  const cold = await measure(() => probeQueues(source));
  const durations: number[] = [];
  const writesPerProbe = new Set<number>();
  let warm = cold;
  for (let index = 0; index < probeCount; index += 1) {
    warm = await measure(() => probeQueues(source));
    durations.push(warm.elapsedMs);
    writesPerProbe.add(warm.socketWrites);
  }
  const discovery = await measure(() => probeQueues({ backend: "sidekiq", url: baseUrl, namespace }));
  durations.sort((a, b) => a - b);
  return {
    queues: queueNames.length,
    processes: 3,
    firstProbe: { socketWrites: cold.socketWrites, commands: cold.commands },
    steadyProbe: {
      socketWrites: warm.socketWrites,
      distinctSocketWritesPerProbe: [...writesPerProbe],
      reportedRoundTrips: warm.reportedRoundTrips,
      commands: warm.commands,
    },
    discoveryProbe: { socketWrites: discovery.socketWrites, commands: discovery.commands },
    probeMs: { p50: percentile(durations, 50), p99: percentile(durations, 99), max: durations.at(-1) ?? 0 },
  };
}

async function tenantBench() {
  configureRedisProbePool({ maxOpen, connectionName });
  let maxConnections = 0;
  let maxPoolSize = 0;
  let done = 0;
  let failures = 0;
  const started = performance.now();
  let next = 0;
  const sampleEvery = 25;
  let lastSample = 0;
  const workers = Array.from({ length: concurrency }, async () => {
    while (next < tenants) {
      const tenant = next++;
      // Distinct URLs (and so pool keys) for the same server: a query parameter ioredis ignores.
      const url = `${baseUrl}?ebbflowTenant=${tenant}`;
      try {
        await probeQueues({ backend: "sidekiq", url, namespace, queues: queueNames.slice(0, 3) });
      } catch {
        failures += 1;
      }
      done += 1;
      maxPoolSize = Math.max(maxPoolSize, redisProbePoolSize());
      if (done - lastSample >= sampleEvery) {
        lastSample = done;
        maxConnections = Math.max(maxConnections, await probeConnections());
      }
    }
  });
  await Promise.all(workers);
  maxConnections = Math.max(maxConnections, await probeConnections());
  const elapsedMs = performance.now() - started;
  const afterRun = await probeConnections();
  await closeProbeConnections();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const afterClose = await probeConnections();
  return {
    tenants,
    maxOpen,
    concurrency,
    failures,
    maxProbeConnectionsSeen: maxConnections,
    maxPoolSize,
    connectionsAtEnd: afterRun,
    connectionsAfterClose: afterClose,
    probesPerSecond: Math.round((tenants / elapsedMs) * 1000),
    elapsedMs: Math.round(elapsedMs),
  };
}

async function main() {
  await seed();
  try {
    configureRedisProbePool({ connectionName });
    const roundTrips = await roundTripBench();
    await closeProbeConnections();
    const pool = await tenantBench();
    const readers = await measureReaderCosts(probeCount, baseUrl);
    await closeProbeConnections();
    const result = { redisVersion: (await admin.info("server")).match(/redis_version:(\S+)/)?.[1], roundTrips, pool, readers };

    console.log("\nSidekiq probe, 20 named queues, 3 busy processes");
    console.table({
      "first probe (process list unknown)": { socketWrites: roundTrips.firstProbe.socketWrites, commands: roundTrips.firstProbe.commands },
      "steady state": { socketWrites: roundTrips.steadyProbe.socketWrites, commands: roundTrips.steadyProbe.commands },
      "no queue names (discovery)": { socketWrites: roundTrips.discoveryProbe.socketWrites, commands: roundTrips.discoveryProbe.commands },
    });
    console.log(`steady-state probe time over ${probeCount} probes: p50 ${roundTrips.probeMs.p50.toFixed(2)} ms, p99 ${roundTrips.probeMs.p99.toFixed(2)} ms`);
    console.log(`\n${tenants} tenants (distinct URLs), pool cap ${maxOpen}, ${concurrency} at a time`);
    console.table({ pool });
    console.log(`\nOther readers, 3 queues each, ${probeCount} probes on a warm connection`);
    console.table(Object.fromEntries(readers.map((row) => [row.reader, { roundTrips: row.roundTrips, p50Ms: row.ms.p50, p99Ms: row.ms.p99, maxMs: row.ms.max }])));
    const out = path.resolve(values.out);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
    const ok = roundTrips.steadyProbe.socketWrites === 1 && pool.maxProbeConnectionsSeen <= maxOpen + concurrency && pool.failures === 0;
    return ok ? 0 : 1;
  } finally {
    await cleanup();
    admin.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
