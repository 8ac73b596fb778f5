import { randomUUID } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProbeError } from "@/lib/queues/errors";
import { closeProbeConnections, probeQueues } from "@/lib/queues/probe";
import type { QueueSourceInput } from "@/lib/queues/schema";

/**
 * Each way a probe can fail gives its own ProbeError kind, within the 2 s timeout. Failures
 * are provoked locally: a key of the wrong type, a closed port (127.0.0.1:1), a TCP server
 * on loopback that accepts and never answers, credentials Redis refuses, and for Postgres a
 * database without the table, a role or database that does not exist (the local server
 * trusts every password, so a wrong password cannot be tested; a missing role is refused
 * the same way Heroku refuses stale credentials).
 */
const redisUrl = "redis://127.0.0.1:6379/15";
const redis = new Redis(redisUrl);
const ns = `err${randomUUID().slice(0, 8)}`;
const admin = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });
const emptyDatabase = `probe_errors_${randomUUID().slice(0, 8)}`;
let blackhole: Server;
let blackholePort = 0;
const sockets: Socket[] = [];

async function failure(source: QueueSourceInput): Promise<{ error: ProbeError; elapsedMs: number }> {
  const started = Date.now();
  try {
    await probeQueues(source);
  } catch (error) {
    if (error instanceof ProbeError) return { error, elapsedMs: Date.now() - started };
    throw error;
  }
  throw new Error("the probe did not fail");
}

beforeAll(async () => {
  await redis.hset(`${ns}:queue:default`, "not", "a list");
  await admin.connect();
  await admin.query(`CREATE DATABASE ${emptyDatabase}`);
  blackhole = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => blackhole.listen(0, "127.0.0.1", resolve));
  const address = blackhole.address();
  blackholePort = typeof address === "object" && address ? address.port : 0;
});

afterAll(async () => {
  await closeProbeConnections();
  await redis.del(`${ns}:queue:default`);
  redis.disconnect();
  sockets.forEach((socket) => socket.destroy());
  await new Promise<void>((resolve) => blackhole.close(() => resolve()));
  await admin.query(`DROP DATABASE IF EXISTS ${emptyDatabase} WITH (FORCE)`);
  await admin.end();
});

describe("probe errors", () => {
  it("wrong_type: a Sidekiq queue key that holds a hash", async () => {
    const { error } = await failure({ backend: "sidekiq", url: redisUrl, namespace: ns, queues: ["default"] });
    expect(error.kind).toBe("wrong_type");
    expect(error.target).toBe(`${ns}:queue:default`);
    expect(error.message).toMatch(/namespace/);
  });

  it("unreachable: a closed port, at once", async () => {
    const redisFailure = await failure({ backend: "sidekiq", url: "redis://127.0.0.1:1/0" });
    expect(redisFailure.error.kind).toBe("unreachable");
    expect(redisFailure.elapsedMs).toBeLessThan(2000);
    const pgFailure = await failure({ backend: "que", url: "postgresql://postgres@127.0.0.1:1/x" });
    expect(pgFailure.error.kind).toBe("unreachable");
    expect(pgFailure.elapsedMs).toBeLessThan(2000);
  });

  it("auth_failed: Redis refuses a user and password (WRONGPASS)", async () => {
    const { error, elapsedMs } = await failure({ backend: "sidekiq", url: "redis://nobody:wrong-password@127.0.0.1:6379/15" });
    expect(error.kind).toBe("auth_failed");
    // Coarse words only: the server's own text (WRONGPASS ...) is never shown to a tenant.
    expect(error.message).toMatch(/refused the credentials/);
    expect(error.message).not.toMatch(/WRONGPASS|wrong-password/);
    expect(elapsedMs).toBeLessThan(2000);
  });

  it("timeout: a server that accepts the connection and never answers", async () => {
    const redisFailure = await failure({ backend: "rq", url: `redis://127.0.0.1:${blackholePort}/0`, queues: ["default"] });
    expect(redisFailure.error.kind).toBe("timeout");
    expect(redisFailure.elapsedMs).toBeGreaterThanOrEqual(1900);
    expect(redisFailure.elapsedMs).toBeLessThan(3000);
    const pgFailure = await failure({ backend: "good_job", url: `postgresql://postgres@127.0.0.1:${blackholePort}/x` });
    expect(pgFailure.error.kind).toBe("timeout");
    expect(pgFailure.elapsedMs).toBeLessThan(3000);
  });

  it("table_missing: a Postgres probe on a database without the library's table", async () => {
    const url = `postgresql://postgres@127.0.0.1:5432/${emptyDatabase}`;
    for (const [backend, table] of [
      ["good_job", "good_jobs"],
      ["delayed_job", "delayed_jobs"],
      ["que", "que_jobs"],
      ["solid_queue", "solid_queue_ready_executions"],
    ] as const) {
      const { error } = await failure({ backend, url });
      expect(error.kind).toBe("table_missing");
      expect(error.target).toBe(table);
    }
  });

  it("auth_failed: a Postgres role or database that does not exist", async () => {
    const role = await failure({ backend: "good_job", url: `postgresql://no_such_role_${ns}:pw@127.0.0.1:5432/postgres` });
    expect(role.error.kind).toBe("auth_failed");
    // Coarse words only: Postgres's own text would name roles and databases to a tenant.
    expect(role.error.message).not.toMatch(/does not exist|no_such_role/);
    const database = await failure({ backend: "good_job", url: `postgresql://postgres@127.0.0.1:5432/no_such_db_${ns}` });
    expect(database.error.kind).toBe("auth_failed");
    expect(database.error.message).not.toMatch(/no_such_db/);
  });

  it("invalid_config: a URL of the wrong kind for the backend", async () => {
    const { error } = await failure({ backend: "sidekiq", url: "postgresql://postgres@127.0.0.1:5432/x" });
    expect(error.kind).toBe("invalid_config");
    expect(error.message).toMatch(/url: must be a redis:\/\/ or rediss:\/\/ URL/);
  });
});
