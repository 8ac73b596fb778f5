import assert from "node:assert/strict";
import { test } from "node:test";
import { Agent, createAgent, parseRequestStart, queueTimeMs, expressMiddleware } from "../src/index.js";
import { readConfig } from "../src/config.js";
import { WebStats } from "../src/web-stats.js";
import { startFakeEbbflow, waitFor } from "./fake-ebbflow.js";

test("parses X-Request-Start in Heroku's and nginx's forms", () => {
  assert.equal(parseRequestStart("1700000000123"), 1700000000123);
  assert.equal(parseRequestStart("t=1700000000.123"), 1700000000123);
  assert.equal(parseRequestStart("1700000000123456"), 1700000000123.456);
  assert.equal(parseRequestStart("1700000000123456789"), 1700000000123.4568);
  assert.equal(parseRequestStart("garbage"), null);
  assert.equal(parseRequestStart(undefined), null);
  assert.equal(queueTimeMs("1000000000000", 1000000000250), 250);
  assert.equal(queueTimeMs("1000000000000", 1000000000250, 100), 150);
  assert.equal(queueTimeMs("1000000009000", 1000000000000), 0, "clamped at 0 when the router clock is ahead");
});

test("reads the token from EBBFLOW_URL's userinfo and the dyno from DYNO", () => {
  const config = readConfig({ EBBFLOW_URL: "https://agent:s3cr%2Bt-token-abcdef@ebbflow.example/", DYNO: "worker.3" });
  assert.equal(config.endpoint, "https://ebbflow.example/api/v1/reports");
  assert.equal(config.token, "s3cr+t-token-abcdef");
  assert.equal(config.dyno, "worker.3");
  assert.equal(config.processType, "worker");
  assert.equal(readConfig({}), null);
  assert.equal(readConfig({ EBBFLOW_URL: "" }), null);
});

test("does nothing at all when EBBFLOW_URL is unset", async () => {
  let fetched = 0;
  const agent = createAgent({ env: {}, fetchImpl: () => (fetched += 1) });
  assert.equal(agent.enabled, false);
  agent.use({ collect: async () => [], busy: () => 0, quiet: async () => {} });
  agent.recordRequest("1700000000000");
  assert.equal(agent.timer, null);
  assert.equal(agent.sources.length, 0);
  let nexted = false;
  expressMiddleware(agent)({ headers: { "x-request-start": "1" } }, {}, () => (nexted = true));
  assert.equal(nexted, true);
  assert.equal(fetched, 0);
});

test("web window: bounded samples and percentiles", () => {
  const stats = new WebStats(100);
  for (let i = 1; i <= 1000; i += 1) stats.record(i % 100);
  const summary = stats.take(stats.startedAt + 10_000);
  assert.equal(summary.requests, 1000);
  assert.equal(summary.window_seconds, 10);
  assert.ok(summary.queue_time_ms.p99 >= summary.queue_time_ms.p95 && summary.queue_time_ms.p95 >= summary.queue_time_ms.p50);
  assert.equal(stats.take().requests, 0);
  assert.equal(stats.take().queue_time_ms, undefined);
});

test("sends one protocol-2 report per process type per window, with its dyno", async () => {
  const ebbflow = await startFakeEbbflow();
  const agent = createAgent({ env: { EBBFLOW_URL: ebbflow.url, DYNO: "web.2" }, intervalMs: 100 });
  agent.use({ processType: "worker", collect: async () => [{ name: "default", depth: 4, latency_ms: 10, busy: 1 }], busy: () => 0, quiet: async () => {} });
  agent.recordRequest(String(Date.now() - 30));
  await waitFor(() => ebbflow.state.reports.length >= 2);
  await agent.stop();
  await ebbflow.stop();
  const [first, second] = ebbflow.state.reports.map((entry) => entry.report);
  const worker = [first, second].find((report) => report.process_type === "worker");
  const web = [first, second].find((report) => report.process_type === "web");
  assert.deepEqual(worker, { protocol: 2, process_type: "worker", queues: [{ name: "default", depth: 4, latency_ms: 10, busy: 1 }], dynos: [{ name: "web.2", quiet: false, busy: 0 }] });
  assert.equal(web.web.requests, 1);
  assert.ok(web.web.queue_time_ms.p50 >= 30);
  assert.deepEqual(web.queues, []);
});

test("keeps a bounded buffer while Ebbflow is down, drops the oldest, backs off, and resumes", async () => {
  const ebbflow = await startFakeEbbflow();
  await ebbflow.stop();
  let window = 0;
  const agent = new Agent(readConfig({ EBBFLOW_URL: ebbflow.url, DYNO: "worker.1" }, { intervalMs: 20, maxBuffered: 5 }), { logger: { warn() {} } });
  agent.use({ collect: async () => [{ name: "q", depth: (window += 1), latency_ms: null, busy: 0 }], busy: () => 0, quiet: async () => {} });
  await waitFor(() => window >= 12);
  assert.ok(agent.buffer.length <= 5);
  assert.ok(agent.dropped >= 6, `dropped ${agent.dropped}`);
  assert.ok(agent.failures >= 1);
  const attemptsBefore = agent.failures;
  await ebbflow.start();
  await waitFor(() => ebbflow.state.reports.length >= 3, 20_000);
  await agent.stop();
  await ebbflow.stop();
  const depths = ebbflow.state.reports.map((entry) => entry.report.queues[0].depth);
  assert.ok(depths[0] > 6, `oldest reports were dropped first (first sent depth ${depths[0]})`);
  assert.deepEqual([...depths].sort((a, b) => a - b), depths, "sent oldest first");
  assert.equal(agent.failures, 0);
  assert.ok(attemptsBefore < window, "backed off instead of retrying every window");
});

test("follows a quiet instruction for its own dyno only, then reports quiet and busy", async () => {
  const ebbflow = await startFakeEbbflow();
  ebbflow.state.quiet = ["worker.9"];
  let quieted = 0;
  const agent = createAgent({ env: { EBBFLOW_URL: ebbflow.url, DYNO: "worker.1" }, intervalMs: 50 });
  agent.use({ collect: async () => [], busy: () => 3, quiet: async () => (quieted += 1) });
  await waitFor(() => ebbflow.state.reports.length >= 2);
  assert.equal(quieted, 0);
  ebbflow.state.quiet = ["worker.1"];
  await waitFor(() => ebbflow.state.reports.some((entry) => entry.report.dynos[0].quiet));
  await agent.stop();
  await ebbflow.stop();
  assert.equal(quieted, 1);
  assert.deepEqual(ebbflow.state.reports.at(-1).report.dynos, [{ name: "worker.1", quiet: true, busy: 3 }]);
});

test("a job source that throws never escapes; a 4xx drops the report", async () => {
  const ebbflow = await startFakeEbbflow();
  ebbflow.state.status = 422;
  const agent = createAgent({ env: { EBBFLOW_URL: ebbflow.url, DYNO: "worker.1" }, intervalMs: 30, logger: { warn() {} } });
  agent.use({ collect: async () => { throw new Error("redis down"); }, busy: () => 0, quiet: async () => {} });
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(agent.buffer.length, 0);
  assert.equal(agent.failures, 0);
  await agent.stop();
  await ebbflow.stop();
});
