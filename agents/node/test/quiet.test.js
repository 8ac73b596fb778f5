import assert from "node:assert/strict";
import { after, test } from "node:test";
import { createAgent } from "../src/index.js";
import { startFakeEbbflow, waitFor } from "./fake-ebbflow.js";

/**
 * The report right after quieting. The report interval is 30 s unless a test says otherwise, so
 * any report after the first (sent by the test's own `tick()`) is an early one.
 */
const LONG_MS = 30_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const closers = [];
after(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
});

async function setUp({ quiet = [], scaledToZero, wakeGapMs, intervalMs = LONG_MS, collect } = {}) {
  const ebbflow = await startFakeEbbflow();
  ebbflow.state.quiet = quiet;
  ebbflow.state.scaledToZero = scaledToZero;
  closers.push(() => ebbflow.stop());
  const agent = createAgent({ env: { EBBFLOW_URL: ebbflow.url, DYNO: "worker.1" }, intervalMs, wakeGapMs });
  closers.push(() => agent.stop());
  const source = { processType: "worker", quieted: 0, busy: () => 2, quiet: async () => { source.quieted += 1; } };
  source.collect = collect ?? (async () => [{ name: "default", depth: 0, latency_ms: 0, busy: 2 }]);
  agent.use(source);
  return { ebbflow, agent, source };
}

test("quiet: an answer quieting this dyno is followed within 2 s by a report saying quiet with its busy count, once", async () => {
  const { ebbflow, agent, source } = await setUp({ quiet: ["worker.1"] });
  await agent.tick();
  assert.equal(ebbflow.state.reports.length, 1);
  assert.deepEqual(ebbflow.state.reports[0].report.dynos, [{ name: "worker.1", quiet: false, busy: 2 }]);
  const answered = ebbflow.state.reports[0].at;
  await waitFor(() => ebbflow.state.reports.length >= 2, 2000);
  assert.equal(source.quieted, 1);
  const early = ebbflow.state.reports[1];
  assert.ok(early.at - answered < 2000);
  assert.equal(early.report.process_type, "worker");
  assert.deepEqual(early.report.dynos, [{ name: "worker.1", quiet: true, busy: 2 }]);
  // Its answer names the dyno again: already quiet, so no further early report.
  await sleep(1500);
  assert.equal(ebbflow.state.reports.length, 2, "one early report per quiet");
  assert.equal(source.quieted, 1);
});

test("quiet: no early report without the instruction or when it names another dyno", async () => {
  const { ebbflow, agent, source } = await setUp({ quiet: [] });
  await agent.tick();
  await sleep(1500);
  assert.equal(ebbflow.state.reports.length, 1, "no instruction");

  ebbflow.state.quiet = ["worker.2", "web.1"];
  await agent.tick();
  assert.equal(ebbflow.state.reports.length, 2);
  await sleep(1500);
  assert.equal(ebbflow.state.reports.length, 2, "another dyno's instruction");
  assert.equal(source.quieted, 0);
  assert.equal(agent.quiet, false);
  assert.deepEqual(ebbflow.state.reports[1].report.dynos, [{ name: "worker.1", quiet: false, busy: 2 }]);
});

test("quiet: the early report ignores the wake gap and follows a window run on the timer", async () => {
  const { ebbflow, agent } = await setUp({ scaledToZero: true, wakeGapMs: 60_000 });
  await agent.tick();
  ebbflow.state.quiet = ["worker.1"];
  // The wake's window runs on the timer; its answer quiets the dyno.
  assert.equal(agent.wake(), true);
  await waitFor(() => ebbflow.state.reports.length >= 2, 2000);
  const answered = ebbflow.state.reports[1].at;
  assert.equal(ebbflow.state.reports[1].report.dynos[0].quiet, false);
  assert.equal(agent.wake(), false, "the wake gap is in force");
  await waitFor(() => ebbflow.state.reports.length >= 3, 2000);
  assert.ok(ebbflow.state.reports[2].at - answered < 2000);
  assert.equal(ebbflow.state.reports[2].report.dynos[0].quiet, true);
});

test("quiet: the early window never overlaps the current one, and the regular window restarts from it", async () => {
  let inFlight = 0;
  let most = 0;
  const collect = async () => {
    inFlight += 1;
    most = Math.max(most, inFlight);
    await sleep(150);
    inFlight -= 1;
    return [];
  };
  const { ebbflow } = await setUp({ intervalMs: 1000, collect });
  await waitFor(() => ebbflow.state.reports.length >= 1, 3000);
  ebbflow.state.quiet = ["worker.1"];
  await waitFor(() => ebbflow.state.reports.some((entry) => entry.report.dynos[0].quiet), 3000);
  const first = ebbflow.state.reports.findIndex((entry) => entry.report.dynos[0].quiet);
  const instructed = ebbflow.state.reports[first - 1].at;
  const early = ebbflow.state.reports[first].at;
  assert.ok(early - instructed < 600, `the quiet report came ${early - instructed} ms after the instruction`);
  await waitFor(() => ebbflow.state.reports.length >= first + 2, 3000);
  const regular = ebbflow.state.reports[first + 1].at;
  assert.ok(regular - early >= 900, `the next regular report came ${regular - early} ms after the early one`);
  await waitFor(() => inFlight === 0);
  assert.equal(most, 1, "two windows ran at once");
});
