import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { Queue, Worker } from "bullmq";
import express from "express";
import { bullmqSource, createAgent, expressMiddleware } from "../src/index.js";
import { startFakeEbbflow, waitFor } from "./fake-ebbflow.js";

const connection = { url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379/5", maxRetriesPerRequest: null };

test("killing Ebbflow mid-run loses no request and no job; reports resume when it returns", async () => {
  const ebbflow = await startFakeEbbflow();
  const agent = createAgent({ env: { EBBFLOW_URL: ebbflow.url, DYNO: "web.1" }, intervalMs: 100, maxBackoffMs: 2000, logger: { warn() {} } });
  const prefix = `ebbflow-test-${randomUUID().slice(0, 8)}`;
  const queue = new Queue("default", { connection, prefix });
  const done = new Set();
  const worker = new Worker("default", async (job) => { done.add(job.id); }, { connection, prefix, concurrency: 4 });
  agent.use(bullmqSource({ queues: [queue], workers: [worker], processType: "worker" }));
  const app = express();
  app.use(expressMiddleware(agent));
  app.get("/", (_req, res) => res.send("ok"));
  const server = await new Promise((resolve) => { const s = app.listen(0, "127.0.0.1", () => resolve(s)); });
  const port = server.address().port;

  const statuses = [];
  const jobIds = [];
  const drive = async (count) => {
    for (let i = 0; i < count; i += 1) {
      const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { "x-request-start": String(Date.now()) } });
      statuses.push(response.status);
      jobIds.push((await queue.add("job", { i })).id);
    }
  };
  try {
    await drive(50);
    await waitFor(() => ebbflow.state.reports.length >= 2);
    await ebbflow.stop();
    const beforeOutage = ebbflow.state.reports.length;
    await drive(100);
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.ok(agent.failures >= 1, "the agent noticed the outage");
    assert.equal(ebbflow.state.reports.length, beforeOutage);
    await ebbflow.start();
    await drive(50);
    const resumedReports = () => ebbflow.state.reports.slice(beforeOutage).map((entry) => entry.report);
    await waitFor(() => resumedReports().some((report) => report.process_type === "web" && report.web.requests > 0) && resumedReports().some((report) => report.process_type === "worker"), 30_000);
    await waitFor(() => done.size === jobIds.length);
    assert.equal(statuses.length, 200);
    assert.ok(statuses.every((status) => status === 200), "every host-app request answered 200");
    assert.deepEqual([...done].sort(), [...jobIds].sort(), "every job ran");
    const resumed = resumedReports();
    assert.ok(resumed.some((report) => report.process_type === "web" && report.web.requests > 0));
    assert.ok(resumed.some((report) => report.process_type === "worker"));
  } finally {
    await agent.stop();
    await new Promise((resolve) => server.close(resolve));
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await ebbflow.stop().catch(() => {});
  }
});
