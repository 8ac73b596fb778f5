import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, test } from "node:test";
import Bull from "bull";
import { Queue } from "bullmq";
import { bullmqSource, bullSource, createAgent, WAKE_GAP_MS } from "../src/index.js";
import { startFakeEbbflow, waitFor } from "./fake-ebbflow.js";

/**
 * The enqueue wake. The report interval is 30 s throughout, so any report after the first
 * (sent by the test's own `tick()`) is an early one.
 */
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379/5";
const connection = { url: redisUrl, maxRetriesPerRequest: null };
const LONG_MS = 30_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const closers = [];
after(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
});

async function setUp({ scaledToZero, wakeGapMs, collect } = {}) {
  const ebbflow = await startFakeEbbflow();
  ebbflow.state.scaledToZero = scaledToZero;
  closers.push(() => ebbflow.stop());
  const agent = createAgent({ env: { EBBFLOW_URL: ebbflow.url, DYNO: "web.1" }, intervalMs: LONG_MS, wakeGapMs });
  closers.push(() => agent.stop());
  const source = { processType: "worker", collects: 0, busy: () => 0, quiet: async () => {} };
  source.collect = collect ?? (async () => { source.collects += 1; return [{ name: "default", depth: 1, latency_ms: 0, busy: 0 }]; });
  agent.use(source);
  // The first window, sent at once, so the agent holds an answer.
  await agent.tick();
  assert.equal(ebbflow.state.reports.length, 1);
  return { ebbflow, agent, source };
}

test("wake: after an answer with scaled_to_zero true, wake() sends a report within 2 s, off the caller's stack", async () => {
  const { ebbflow, agent, source } = await setUp({ scaledToZero: true });
  const collectsBefore = source.collects;
  const woken = Date.now();
  assert.equal(agent.wake(), true);
  assert.equal(source.collects, collectsBefore, "wake() itself collects nothing");
  await waitFor(() => ebbflow.state.reports.length >= 2, 2000);
  assert.ok(ebbflow.state.reports[1].at - woken < 2000);
  assert.equal(ebbflow.state.reports[1].report.process_type, "worker");
  assert.equal(WAKE_GAP_MS, 5000);
});

test("wake: no early report after scaled_to_zero false or a missing field", async () => {
  const { ebbflow, agent } = await setUp({ scaledToZero: undefined });
  assert.equal(agent.wake(), false);
  await sleep(1500);
  assert.equal(ebbflow.state.reports.length, 1, "a missing scaled_to_zero means not at zero");

  ebbflow.state.scaledToZero = true;
  await agent.tick();
  ebbflow.state.scaledToZero = false;
  await agent.tick();
  assert.equal(ebbflow.state.reports.length, 3);
  assert.equal(agent.wake(), false, "the last answer (false) wins over an earlier true");
  await sleep(1500);
  assert.equal(ebbflow.state.reports.length, 3);
});

test("wake: two wakes within the gap cause one early report; a wake after the gap causes another", async () => {
  const { ebbflow, agent } = await setUp({ scaledToZero: true, wakeGapMs: 2500 });
  const woken = Date.now();
  agent.wake();
  agent.wake();
  await waitFor(() => ebbflow.state.reports.length >= 2, 2000);
  agent.wake();
  await sleep(Math.max(0, woken + 2000 - Date.now()));
  assert.equal(ebbflow.state.reports.length, 2, "one early report for three wakes within the gap");
  await sleep(Math.max(0, woken + 2600 - Date.now()));
  assert.equal(agent.wake(), true);
  await waitFor(() => ebbflow.state.reports.length >= 3, 2000);
});

test("wake: the regular window restarts from the early report", async () => {
  const ebbflow = await startFakeEbbflow();
  ebbflow.state.scaledToZero = true;
  closers.push(() => ebbflow.stop());
  const agent = createAgent({ env: { EBBFLOW_URL: ebbflow.url, DYNO: "worker.1" }, intervalMs: 1000 });
  closers.push(() => agent.stop());
  agent.use({ collect: async () => [], busy: () => 0, quiet: async () => {} });
  await waitFor(() => ebbflow.state.reports.length >= 1, 3000);
  await sleep(500);
  agent.wake();
  await waitFor(() => ebbflow.state.reports.length >= 2, 2000);
  await waitFor(() => ebbflow.state.reports.length >= 3, 3000);
  const [, early, regular] = ebbflow.state.reports.map((entry) => entry.at);
  assert.ok(regular - early >= 900, `the next regular report came ${regular - early} ms after the early one`);
});

test("wake: report windows never overlap, whatever the wakes", async () => {
  let inFlight = 0;
  let most = 0;
  let windows = 0;
  const collect = async () => {
    inFlight += 1;
    most = Math.max(most, inFlight);
    await sleep(150);
    inFlight -= 1;
    windows += 1;
    return [];
  };
  const { ebbflow, agent } = await setUp({ scaledToZero: true, wakeGapMs: 0, collect });
  for (let i = 0; i < 60; i += 1) {
    agent.wake();
    await sleep(20);
  }
  await waitFor(() => inFlight === 0);
  assert.equal(most, 1, "two windows ran at once");
  assert.ok(windows >= 5, `only ${windows} windows`);
  assert.ok(ebbflow.state.reports.length >= 5);
});

test("wake: does nothing and never throws when the agent is disabled or stopped", async () => {
  const disabled = createAgent({ env: {} });
  assert.equal(disabled.wake(), false);
  assert.equal(disabled.timer, null);
  const { ebbflow, agent } = await setUp({ scaledToZero: true });
  await agent.stop();
  assert.equal(agent.wake(), false);
  await sleep(300);
  assert.equal(ebbflow.state.reports.length, 1);
});

test("wake: BullMQ queue.add through the hooked source sends an early report; a delayed job does not", async () => {
  const prefix = `ebbflow-test-${randomUUID().slice(0, 8)}`;
  const queue = new Queue("default", { connection, prefix });
  closers.push(() => queue.obliterate({ force: true }).then(() => queue.close()));
  const ebbflow = await startFakeEbbflow();
  ebbflow.state.scaledToZero = true;
  closers.push(() => ebbflow.stop());
  const agent = createAgent({ env: { EBBFLOW_URL: ebbflow.url, DYNO: "web.1" }, intervalMs: LONG_MS });
  closers.push(() => agent.stop());
  agent.use(bullmqSource({ queues: [queue], processType: "worker" }));
  await agent.tick();
  assert.equal(ebbflow.state.reports.length, 1);
  assert.equal(ebbflow.state.reports[0].report.queues[0].depth, 0);

  await queue.add("later", {}, { delay: 60_000 });
  await sleep(1000);
  assert.equal(ebbflow.state.reports.length, 1, "a delayed job needs no dyno yet");

  const added = Date.now();
  await queue.add("now", {});
  await waitFor(() => ebbflow.state.reports.length >= 2, 2000);
  const early = ebbflow.state.reports[1];
  assert.ok(early.at - added < 2000);
  assert.equal(early.report.process_type, "worker");
  assert.equal(early.report.queues[0].depth, 1);
});

test("wake: Bull queue.add wakes with wake: true, and only then", async () => {
  const prefix = `ebbflow-test-${randomUUID().slice(0, 8)}`;
  const ebbflow = await startFakeEbbflow();
  ebbflow.state.scaledToZero = true;
  closers.push(() => ebbflow.stop());

  const plain = new Bull("plain", redisUrl, { prefix });
  closers.push(() => plain.obliterate({ force: true }).then(() => plain.close()));
  const quietAgent = createAgent({ env: { EBBFLOW_URL: ebbflow.url, DYNO: "web.1" }, intervalMs: LONG_MS });
  closers.push(() => quietAgent.stop());
  quietAgent.use(bullSource({ queues: [plain], processType: "worker" }));
  await quietAgent.tick();
  await plain.add({ n: 1 });
  await sleep(1000);
  assert.equal(ebbflow.state.reports.length, 1, "no hook without wake: true");

  const hooked = new Bull("hooked", redisUrl, { prefix });
  closers.push(() => hooked.obliterate({ force: true }).then(() => hooked.close()));
  const subscribed = new Promise((resolve) => hooked.once("registered:waiting", resolve));
  const agent = createAgent({ env: { EBBFLOW_URL: ebbflow.url, DYNO: "web.1" }, intervalMs: LONG_MS });
  closers.push(() => agent.stop());
  agent.use(bullSource({ queues: [hooked], processType: "worker", wake: true }));
  await subscribed;
  await agent.tick();
  assert.equal(ebbflow.state.reports.length, 2);
  const added = Date.now();
  await hooked.add({ n: 1 });
  await waitFor(() => ebbflow.state.reports.length >= 3, 2000);
  assert.ok(ebbflow.state.reports[2].at - added < 2000);
  assert.equal(ebbflow.state.reports[2].report.queues[0].depth, 1);
});
