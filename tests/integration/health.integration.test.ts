import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db/client";
import { checkHealth } from "@/lib/health/check-health";
import { disconnectWebRedis, webRedis } from "@/lib/redis/connection";

afterAll(async () => {
  await disconnectDb();
  await disconnectWebRedis();
});

describe("checkHealth", () => {
  it("reports both parts up against the real Postgres and Redis", async () => {
    const report = await checkHealth({ pingDb: () => db.$queryRaw`SELECT 1`, redis: webRedis() });
    expect(report).toEqual({ ok: true, db: "up", redis: "up" });
  });

  it("names Redis when it does not answer", async () => {
    const closed = new Redis("redis://127.0.0.1:1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const connectionErrors: Error[] = [];
    closed.on("error", (error: Error) => connectionErrors.push(error));
    const report = await checkHealth({ pingDb: () => db.$queryRaw`SELECT 1`, redis: closed, timeoutMs: 1000 });
    closed.disconnect();
    expect(report).toEqual({ ok: false, db: "up", redis: "down" });
    expect(connectionErrors[0]?.message).toMatch(/ECONNREFUSED/);
  });

  it("names the database when it does not answer", async () => {
    const report = await checkHealth({
      pingDb: () => new Promise(() => {}),
      redis: webRedis(),
      timeoutMs: 300,
    });
    expect(report).toEqual({ ok: false, db: "down", redis: "up" });
  });
});
