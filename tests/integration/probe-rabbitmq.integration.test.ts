import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import amqp, { type ChannelModel, type ConfirmChannel, type ConsumeMessage } from "amqplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeProbeConnections, probeQueues } from "@/lib/queues/probe";
import type { ProbeResult } from "@/lib/queues/schema";

/**
 * Celery on this machine's RabbitMQ, in a vhost of its own. Tasks are published the way
 * Celery 5 (protocol 2) and kombu write them: exchange "celery" (direct, durable), routing
 * key = queue name, JSON body `[args, kwargs, embed]`, properties correlation_id = task id,
 * content type/encoding, persistent delivery, and the headers `lang`, `task`, `id`, `eta`,
 * `retries`, `root_id`, `origin`, … A fake worker consumes the way Celery's does: prefetch
 * N, and one more for every ETA task it holds (Celery's qos.increment_eventually; on RabbitMQ
 * Celery sets the prefetch for the whole channel, `global`, so a raise applies at once), acking
 * nothing, so its messages stay unacknowledged.
 */
const management = "http://127.0.0.1:15672";
const vhost = `ebbflow_probes_${randomUUID().slice(0, 8)}`;
const url = `amqp://guest:guest@127.0.0.1:5672/${vhost}`;
const run = promisify(execFile);

async function api(method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${management}${path}`, {
    method,
    headers: { authorization: `Basic ${Buffer.from("guest:guest").toString("base64")}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok && !(method === "DELETE" && response.status === 404)) {
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  }
}

let publisher: ChannelModel;
let worker: ChannelModel;
let publishChannel: ConfirmChannel;
const workerReceived: ConsumeMessage[] = [];

function celeryTask(queue: string, name: string, options: { eta?: Date; timestampSeconds?: number } = {}): string {
  const id = randomUUID();
  const args = [id.slice(0, 4)];
  const headers = {
    lang: "py",
    task: name,
    id,
    shadow: null,
    eta: options.eta ? options.eta.toISOString() : null,
    expires: null,
    group: null,
    group_index: null,
    retries: 0,
    timelimit: [null, null],
    root_id: id,
    parent_id: null,
    argsrepr: `('${args[0]}',)`,
    kwargsrepr: "{}",
    origin: "gen4242@web.1",
    ignore_result: false,
  };
  const body = JSON.stringify([args, {}, { callbacks: null, errbacks: null, chain: null, chord: null }]);
  publishChannel.publish("celery", queue, Buffer.from(body), {
    contentType: "application/json",
    contentEncoding: "utf-8",
    deliveryMode: 2,
    priority: 0,
    correlationId: id,
    replyTo: "",
    headers,
    ...(options.timestampSeconds ? { timestamp: options.timestampSeconds } : {}),
  });
  return id;
}

const inAnHour = () => new Date(Date.now() + 3600_000);
const published = { eta: [] as string[], prefetched: [] as string[], ready: [] as string[] };

beforeAll(async () => {
  await api("PUT", `/api/vhosts/${vhost}`, {});
  await api("PUT", `/api/permissions/${vhost}/guest`, { configure: ".*", write: ".*", read: ".*" });
  publisher = await amqp.connect(url);
  publishChannel = await publisher.createConfirmChannel();
  await publishChannel.assertExchange("celery", "direct", { durable: true });
  for (const queue of ["celery", "mailers", "stamped"]) {
    await publishChannel.assertQueue(queue, { durable: true });
    await publishChannel.bindQueue(queue, "celery", queue);
  }
  // Celery's control and event queues, which discovery must leave out.
  await publishChannel.assertQueue("celery@web.1.celery.pidbox", { autoDelete: true, durable: false });
  await publishChannel.assertQueue("celeryev.6c1b2d", { autoDelete: true, durable: false });

  published.eta.push(celeryTask("celery", "app.tasks.remind", { eta: inAnHour() }), celeryTask("celery", "app.tasks.remind", { eta: inAnHour() }));
  for (let index = 0; index < 3; index += 1) published.prefetched.push(celeryTask("celery", "app.tasks.resize"));
  for (let index = 0; index < 5; index += 1) published.ready.push(celeryTask("celery", "app.tasks.resize"));
  // An ETA task no worker has taken yet: still a ready message in the queue.
  published.ready.push(celeryTask("celery", "app.tasks.remind", { eta: inAnHour() }));
  celeryTask("mailers", "app.tasks.mail");
  celeryTask("mailers", "app.tasks.mail");
  // Another AMQP worker's messages that carry the `timestamp` property (2 minutes old).
  celeryTask("stamped", "job", { timestampSeconds: Math.floor(Date.now() / 1000) - 120 });
  await publishChannel.waitForConfirms();

  worker = await amqp.connect(url);
  const workerChannel = await worker.createChannel();
  let prefetch = 3;
  await workerChannel.prefetch(prefetch, true);
  await workerChannel.consume("celery", (message) => {
    if (!message) return;
    workerReceived.push(message);
    const headers = message.properties.headers as Record<string, unknown> | undefined;
    if (headers?.eta) {
      prefetch += 1;
      void workerChannel.prefetch(prefetch, true);
    }
  });
  const deadline = Date.now() + 10_000;
  while (workerReceived.length < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
});

afterAll(async () => {
  await closeProbeConnections();
  await worker?.close();
  await publisher?.close();
  await api("DELETE", `/api/vhosts/${vhost}`);
});

/** The management API refreshes its counters every few seconds: probe until they show. */
async function probeUntil(input: Parameters<typeof probeQueues>[0], done: (result: ProbeResult) => boolean): Promise<ProbeResult> {
  const deadline = Date.now() + 20_000;
  let result = await probeQueues(input);
  while (!done(result) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    result = await probeQueues(input);
  }
  return result;
}

describe("RabbitMQ probe (Celery)", () => {
  it("the fake worker holds the two ETA tasks and three prefetched tasks, unacknowledged", () => {
    expect(workerReceived.map((message) => message.properties.correlationId)).toEqual([...published.eta, ...published.prefetched]);
  });

  it("reads ready tasks as depth and prefetched plus held ETA tasks as busy", async () => {
    const result = await probeUntil({ backend: "celery", url, queues: ["celery", "mailers"], managementUrl: management }, (r) => r.queues[0]?.busy === 5);
    const byName = Object.fromEntries(result.queues.map((queue) => [queue.name, queue]));
    expect(byName.celery).toMatchObject({ depth: 6, busy: 5, latencyMs: null, scheduled: null, retries: null });
    expect(byName.mailers).toMatchObject({ depth: 2, busy: 0 });
    expect(result.totalDepth).toBe(8);
    expect(result.busy).toBe(5);
    expect(result.roundTrips).toBe(4);
    expect(result.warnings).toEqual([]);
  });

  it("without the management API reads depth only, and says so", async () => {
    const result = await probeQueues({ backend: "celery", url, queues: ["celery"] });
    expect(result.queues[0]).toMatchObject({ name: "celery", depth: 6, busy: null });
    expect(result.warnings.join(" ")).toMatch(/management API/);
  });

  it("finds the work queues through the management API, leaving Celery's control queues out", async () => {
    const result = await probeUntil({ backend: "celery", url, managementUrl: management }, (r) => r.queues.find((q) => q.name === "celery")?.busy === 5);
    expect(result.queues.map((queue) => queue.name)).toEqual(["celery", "mailers", "stamped"]);
    expect(result.queues.find((queue) => queue.name === "celery")).toMatchObject({ depth: 6, busy: 5 });
  });

  it("reads a missing queue as empty with a warning, on its own channel, without losing the others", async () => {
    const result = await probeQueues({ backend: "celery", url, queues: ["nosuchqueue", "celery"] });
    const byName = Object.fromEntries(result.queues.map((queue) => [queue.name, queue]));
    expect(byName.nosuchqueue).toMatchObject({ depth: 0 });
    expect(byName.celery).toMatchObject({ depth: 6 });
    expect(result.warnings.join(" ")).toMatch(/nosuchqueue does not exist/);
  });

  it("reads the oldest message's age where the publisher set a timestamp (any AMQP worker)", async () => {
    const result = await probeUntil({ backend: "amqp", url, queues: ["stamped"], managementUrl: management }, (r) => r.maxLatencyMs !== null);
    expect(result.queues[0]?.depth).toBe(1);
    expect(result.maxLatencyMs).toBeGreaterThanOrEqual(119_000);
    expect(result.maxLatencyMs).toBeLessThan(150_000);
  });

  it("keeps the depth when the management API refuses, and says why busy is unknown", async () => {
    const result = await probeQueues({ backend: "celery", url, queues: ["celery"], managementUrl: "http://guest:wrong@127.0.0.1:15672" });
    expect(result.queues[0]).toMatchObject({ name: "celery", depth: 6, busy: null });
    expect(result.warnings.join(" ")).toMatch(/management API could not be read .*refused the credentials/);
  });

  it("reports wrong credentials as auth_failed and an unknown vhost clearly", async () => {
    await expect(probeQueues({ backend: "celery", url: `amqp://guest:wrong@127.0.0.1:5672/${vhost}`, queues: ["celery"] })).rejects.toMatchObject({
      kind: "auth_failed",
    });
    await expect(probeQueues({ backend: "celery", url: "amqp://guest:guest@127.0.0.1:5672/no_such_vhost_x", queues: ["celery"] })).rejects.toMatchObject({
      kind: "auth_failed",
    });
    await expect(probeQueues({ backend: "amqp", url })).rejects.toMatchObject({ kind: "invalid_config" });
  });

  it("the probe CLI reads it too, and the queue's messages are untouched afterwards", async () => {
    const { stdout } = await run(
      "node",
      ["--import", "tsx", "scripts/probe.ts", "--backend", "celery", "--url", url, "--queues", "celery", "--management-url", management],
      { cwd: process.cwd(), timeout: 30_000 },
    );
    const result = JSON.parse(stdout) as ProbeResult;
    expect(result.queues[0]).toMatchObject({ name: "celery", depth: 6, busy: 5 });

    // After every probe above: the worker got nothing new and nothing back, and the ready
    // messages come out in publish order, none of them ever delivered before.
    expect(workerReceived).toHaveLength(5);
    expect(workerReceived.every((message) => !message.fields.redelivered)).toBe(true);
    const reader = await publisher.createChannel();
    const drained: { id: unknown; redelivered: boolean }[] = [];
    for (;;) {
      const message = await reader.get("celery", { noAck: true });
      if (!message) break;
      drained.push({ id: message.properties.correlationId, redelivered: message.fields.redelivered });
    }
    await reader.close();
    expect(drained.map((entry) => entry.id)).toEqual(published.ready);
    expect(drained.every((entry) => !entry.redelivered)).toBe(true);
  });
});
