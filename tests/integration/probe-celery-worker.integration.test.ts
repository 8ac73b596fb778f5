import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProbeResult } from "@/lib/queues/schema";

/**
 * Real Celery (Debian's python3-celery) on this machine's RabbitMQ: Celery itself publishes
 * 8 tasks and 2 ETA tasks (countdown one hour) through kombu, and a real worker (one process,
 * prefetch multiplier 2) takes them: it runs one, prefetches others and holds the ETA tasks.
 * The probe CLI's numbers are checked against what the worker says it holds (`celery
 * inspect`). Celery acknowledges a task when it starts (no `acks_late`), so the running task
 * is no longer the broker's; the prefetched and ETA tasks are its unacknowledged messages.
 */
const python = "/usr/bin/python3";
const fixtures = path.resolve("tests/fixtures");
const management = "http://127.0.0.1:15672";
const vhost = `ebbflow_probes_${randomUUID().slice(0, 8)}`;
const url = `amqp://guest:guest@127.0.0.1:5672/${vhost}`;
const run = promisify(execFile);
const env = { ...process.env, CELERY_BROKER_URL: url };
const published = { ready: 8, eta: 2 };
let worker: ChildProcess | undefined;
let workerLog = "";

async function api(method: string, apiPath: string, body?: unknown): Promise<void> {
  const response = await fetch(`${management}${apiPath}`, {
    method,
    headers: { authorization: `Basic ${Buffer.from("guest:guest").toString("base64")}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok && !(method === "DELETE" && response.status === 404)) throw new Error(`${method} ${apiPath}: ${response.status}`);
}

interface Held {
  active: number;
  reserved: number;
  scheduled: number;
}

async function inspect(): Promise<Held> {
  const { stdout } = await run(python, ["celery_app.py", "inspect"], { cwd: fixtures, env, timeout: 30_000 });
  return JSON.parse(stdout) as Held;
}

async function probeCli(): Promise<ProbeResult> {
  const { stdout } = await run(
    "node",
    ["--import", "tsx", "scripts/probe.ts", "--backend", "celery", "--url", url, "--queues", "celery", "--management-url", management],
    { timeout: 30_000 },
  );
  return JSON.parse(stdout) as ProbeResult;
}

beforeAll(async () => {
  await run(python, ["-c", "import celery"]).catch(() => {
    throw new Error("Debian's python3-celery is not installed (.ci/run installs it): apt-get install python3-celery");
  });
  await api("PUT", `/api/vhosts/${vhost}`, {});
  await api("PUT", `/api/permissions/${vhost}/guest`, { configure: ".*", write: ".*", read: ".*" });
  await run(python, ["celery_app.py", "publish", String(published.ready), String(published.eta)], { cwd: fixtures, env, timeout: 30_000 });
  // Its own process group, so the pool's child process goes down with it.
  worker = spawn(
    python,
    ["-m", "celery", "-A", "celery_app", "worker", "-Q", "celery", "-c", "1", "--prefetch-multiplier", "2", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"],
    { cwd: fixtures, env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  worker.stdout?.on("data", (chunk: Buffer) => (workerLog += chunk.toString()));
  worker.stderr?.on("data", (chunk: Buffer) => (workerLog += chunk.toString()));
}, 90_000);

afterAll(async () => {
  if (worker?.pid) process.kill(-worker.pid, "SIGKILL");
  await api("DELETE", `/api/vhosts/${vhost}`);
});

describe("Celery on RabbitMQ, with a real worker", () => {
  it("reports the worker's prefetched and ETA tasks as busy and the rest as depth", async () => {
    // The worker starts, runs one task and fills its prefetch window (slow on a loaded machine).
    let held: Held = { active: 0, reserved: 0, scheduled: 0 };
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      held = await inspect().catch(() => held);
      if (held.active === 1 && held.scheduled === published.eta && held.reserved > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(held, workerLog).toMatchObject({ active: 1, scheduled: published.eta });
    expect(held.reserved).toBeGreaterThan(0);
    const unacknowledged = held.reserved + held.scheduled;
    const waiting = published.ready + published.eta - held.active - held.reserved - held.scheduled;

    // The management API's counters follow within its 5 s statistics interval.
    let result = await probeCli();
    for (let attempt = 0; attempt < 20 && result.queues[0]?.busy !== unacknowledged; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      result = await probeCli();
    }
    expect(result.queues[0]).toMatchObject({ name: "celery", depth: waiting, busy: unacknowledged, latencyMs: null });
    expect(result.totalDepth).toBe(waiting);

    // Probing took nothing from the worker and gave it nothing.
    expect(await inspect()).toEqual(held);
  }, 150_000);
});
