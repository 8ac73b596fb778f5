import { getHeapSpaceStatistics } from "node:v8";

/**
 * For profiling the benchmark's worker, preloaded into it with
 * `--node-args=--import=./bench/lib/worker-memory-probe.mjs` (plain JavaScript, so the bundled
 * worker needs no TypeScript loader for it): every 5 s, one JSON line on stderr with the
 * process's memory by kind (V8 heap by space, external, array buffers), so a high RSS can be
 * told apart into live objects, garbage awaiting collection and native memory.
 */
const mb = (bytes) => Math.round(bytes / 104857.6) / 10;

const timer = setInterval(() => {
  const usage = process.memoryUsage();
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, { used: mb(space.space_used_size), size: mb(space.space_size) }]));
  process.stderr.write(
    `${JSON.stringify({ level: 0, msg: "memory", rss: mb(usage.rss), heapTotal: mb(usage.heapTotal), heapUsed: mb(usage.heapUsed), external: mb(usage.external), arrayBuffers: mb(usage.arrayBuffers), spaces })}\n`,
  );
}, 5000);
timer.unref();
