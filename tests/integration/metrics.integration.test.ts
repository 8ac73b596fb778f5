import { Redis } from "ioredis";
import { NextRequest } from "next/server";
import { afterAll, describe, expect, it } from "vitest";
import { GET } from "@/app/metrics/route";
import { checksTotal } from "@/lib/metrics";
import { publishMetrics } from "@/lib/metrics-publish";
import { disconnectWebRedis } from "@/lib/redis/connection";

const redis = new Redis("redis://127.0.0.1:6379");
afterAll(async () => {
  await redis.quit();
  await disconnectWebRedis();
});

describe("GET /metrics", () => {
  it("adds up what every worker published, in Prometheus's format", async () => {
    checksTotal.inc({ outcome: "ok" }, 3);
    const stopA = publishMetrics(redis, `test-a-${Date.now()}`);
    const stopB = publishMetrics(redis, `test-b-${Date.now()}`);
    await stopA();
    await stopB();
    const response = await GET(new NextRequest("http://localhost/metrics"), { params: Promise.resolve({}) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/plain/);
    const text = await response.text();
    const line = text.split("\n").find((l) => l.startsWith('ebbflow_checks_total{outcome="ok"}'));
    // Two publishers of this process's registry, each counting at least the 3 above.
    expect(Number(line?.split(" ")[1])).toBeGreaterThanOrEqual(6);
    expect(text).toContain("# TYPE ebbflow_check_lag_seconds histogram");
  });
});
