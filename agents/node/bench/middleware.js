// Measures what the agent costs the host app: the Express middleware's added latency per
// request (p50/p99 over timed calls, with a window of samples filling as in production) and the
// reporter's CPU per minute at the real 10 s interval (CPU per report cycle × 6), against a
// local stand-in Ebbflow and a real BullMQ queue in Redis. Prints a table and writes JSON.
import { writeFileSync, mkdirSync } from "node:fs";
import { loadavg } from "node:os";
import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { bullmqSource, createAgent, expressMiddleware } from "../src/index.js";
import { startFakeEbbflow } from "../test/fake-ebbflow.js";

const out = process.argv.includes("--out") ? process.argv[process.argv.indexOf("--out") + 1] : "bench/results.json";
const requests = 200_000;
const ebbflow = await startFakeEbbflow();
const agent = createAgent({ env: { EBBFLOW_URL: ebbflow.url, DYNO: "web.1" }, intervalMs: 3_600_000 });
const middleware = expressMiddleware(agent);
const next = () => {};
const durations = new Float64Array(requests);
for (let i = 0; i < requests; i += 1) {
  const req = { headers: { "x-request-start": String(Date.now() - 5) } };
  const started = process.hrtime.bigint();
  middleware(req, null, next);
  durations[i] = Number(process.hrtime.bigint() - started) / 1e6;
}
const sorted = Array.from(durations.subarray(1000)).sort((a, b) => a - b);
const pct = (p) => sorted[Math.ceil((p / 100) * sorted.length) - 1];

const queue = new Queue("bench", { connection: { url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379/5" }, prefix: `ebbflow-bench-${randomUUID().slice(0, 8)}` });
for (let i = 0; i < 100; i += 1) await queue.add("j", {});
agent.use(bullmqSource({ queues: [queue] }));
const cycles = 30;
const cpuBefore = process.cpuUsage();
for (let i = 0; i < cycles; i += 1) {
  for (let r = 0; r < 1000; r += 1) agent.recordRequest(String(Date.now() - 5));
  await agent.tick();
}
const cpu = process.cpuUsage(cpuBefore);
const cpuMsPerCycle = (cpu.user + cpu.system) / 1000 / cycles;
await agent.stop();
await queue.obliterate({ force: true });
await queue.close();
await ebbflow.stop();

const result = {
  agent: "node",
  node: process.version,
  requests,
  middlewareAddedMs: { p50: pct(50), p99: pct(99), max: sorted.at(-1) },
  targetP99Ms: 0.5,
  reporterCpuMsPerMinute: cpuMsPerCycle * 6,
  reporterCpuMsPerCycle: cpuMsPerCycle,
  reportsSent: ebbflow.state.reports.length,
  loadAverage: loadavg(),
};
console.table({ "middleware p50 (ms)": result.middlewareAddedMs.p50, "middleware p99 (ms)": result.middlewareAddedMs.p99, "reporter CPU ms/min": result.reporterCpuMsPerMinute, "load avg 1m": result.loadAverage[0] });
mkdirSync("bench", { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
if (result.middlewareAddedMs.p99 >= 0.5) process.exitCode = 1;
