import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, test } from "node:test";
import Bull from "bull";
import { Queue, Worker } from "bullmq";
import express from "express";
import Fastify from "fastify";
import { bullmqSource, bullSource, createAgent, expressMiddleware, fastifyHook, nextjsRecord } from "../src/index.js";
import { startFakeEbbflow, waitFor } from "./fake-ebbflow.js";

/** The real libraries against the real Redis (REDIS_URL, a database of the test's own). */
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379/5";
const connection = { url: redisUrl, maxRetriesPerRequest: null };
const closers = [];
after(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
});

test("BullMQ: depth, latency and busy through its API; quiet pauses the worker and running jobs finish", async () => {
  const prefix = `ebbflow-test-${randomUUID().slice(0, 8)}`;
  const queue = new Queue("default", { connection, prefix });
  closers.push(() => queue.obliterate({ force: true }).then(() => queue.close()));
  await queue.add("old", {}, { timestamp: Date.now() - 3000 });
  await queue.add("new", {});
  await queue.add("new", {});
  const ebbflow = await startFakeEbbflow();
  closers.push(() => ebbflow.stop());
  const agent = createAgent({ env: { EBBFLOW_URL: ebbflow.url, DYNO: "worker.1" }, intervalMs: 100 });
  closers.push(() => agent.stop());

  const source = bullmqSource({ queues: [queue] });
  const [reading] = await source.collect();
  assert.equal(reading.name, "default");
  assert.equal(reading.depth, 3);
  assert.ok(reading.latency_ms >= 3000, `latency ${reading.latency_ms}`);
  assert.equal(reading.busy, 0);

  const finished = [];
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  const worker = new Worker("default", async (job) => { await gate; finished.push(job.id); }, { connection, prefix, concurrency: 1 });
  closers.push(() => worker.close(true));
  agent.use(bullmqSource({ queues: [queue], workers: [worker] }));
  await waitFor(() => ebbflow.state.reports.some((entry) => entry.report.dynos[0].busy === 1 && entry.report.queues[0].busy === 1));

  ebbflow.state.quiet = ["worker.1"];
  await waitFor(() => ebbflow.state.reports.some((entry) => entry.report.dynos[0].quiet));
  assert.equal(worker.isPaused(), true);
  release();
  await waitFor(() => finished.length === 1);
  await waitFor(() => ebbflow.state.reports.at(-1).report.dynos[0].busy === 0);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(finished.length, 1, "a quiet worker takes no new job");
  const last = ebbflow.state.reports.at(-1).report;
  assert.deepEqual(last.dynos, [{ name: "worker.1", quiet: true, busy: 0 }]);
  assert.equal(last.queues[0].depth, 2);
});

test("Bull: depth, latency and busy through its API; quiet is a local pause", async () => {
  const prefix = `ebbflow-test-${randomUUID().slice(0, 8)}`;
  const queue = new Bull("mail", redisUrl, { prefix });
  closers.push(() => queue.obliterate({ force: true }).then(() => queue.close()));
  await queue.add({ n: 1 }, { timestamp: Date.now() - 2000 });
  await queue.add({ n: 2 });
  const ebbflow = await startFakeEbbflow();
  closers.push(() => ebbflow.stop());
  const agent = createAgent({ env: { EBBFLOW_URL: ebbflow.url, DYNO: "worker.2" }, intervalMs: 100 });
  closers.push(() => agent.stop());
  const source = bullSource({ queues: [queue] });
  const [reading] = await source.collect();
  assert.equal(reading.depth, 2);
  assert.ok(reading.latency_ms >= 2000, `latency ${reading.latency_ms}`);

  let release;
  const gate = new Promise((resolve) => (release = resolve));
  const finished = [];
  queue.process(1, async (job) => { await gate; finished.push(job.id); });
  agent.use(source);
  await waitFor(() => ebbflow.state.reports.some((entry) => entry.report.dynos[0].busy === 1));
  ebbflow.state.quiet = ["worker.2"];
  await waitFor(() => ebbflow.state.reports.some((entry) => entry.report.dynos[0].quiet));
  release();
  await waitFor(() => finished.length === 1);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(finished.length, 1, "a locally paused Bull queue takes no new job");
  await waitFor(() => ebbflow.state.reports.at(-1).report.dynos[0].busy === 0);
  assert.equal(ebbflow.state.reports.at(-1).report.queues[0].depth, 1);
});

async function requestWithStart(port, path, startMs) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { "x-request-start": String(startMs) } });
  return response.status;
}

test("Express and Fastify middleware report request queue time", async () => {
  const ebbflow = await startFakeEbbflow();
  closers.push(() => ebbflow.stop());
  const agent = createAgent({ env: { EBBFLOW_URL: ebbflow.url, DYNO: "web.1" }, intervalMs: 300 });
  closers.push(() => agent.stop());

  const app = express();
  app.use(expressMiddleware(agent));
  app.get("/", (_req, res) => res.send("ok"));
  const server = await new Promise((resolve) => { const s = app.listen(0, "127.0.0.1", () => resolve(s)); });
  closers.push(() => new Promise((resolve) => server.close(resolve)));

  const fastify = Fastify();
  fastify.addHook("onRequest", fastifyHook(agent));
  fastify.get("/", async () => "ok");
  await fastify.listen({ port: 0, host: "127.0.0.1" });
  closers.push(() => fastify.close());

  for (let i = 0; i < 10; i += 1) assert.equal(await requestWithStart(server.address().port, "/", Date.now() - 200), 200);
  for (let i = 0; i < 10; i += 1) assert.equal(await requestWithStart(fastify.server.address().port, "/", Date.now() - 200), 200);
  nextjsRecord(agent, new Request("http://app/", { headers: { "x-request-start": `t=${(Date.now() - 200) / 1000}` } }));
  await waitFor(() => ebbflow.state.reports.reduce((sum, entry) => sum + (entry.report.web?.requests ?? 0), 0) >= 21);
  const web = ebbflow.state.reports.map((entry) => entry.report).filter((report) => report.web?.requests > 0);
  assert.equal(web[0].process_type, "web");
  for (const report of web) assert.ok(report.web.queue_time_ms.p50 >= 200 && report.web.queue_time_ms.p50 < 5000, JSON.stringify(report.web));
});
