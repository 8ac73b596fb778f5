import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, describe, expect, it } from "vitest";
import { POST as sso } from "@/app/heroku/sso/route";
import { disconnectDb } from "@/lib/db/client";
import { limitRate } from "@/lib/redis/limit-rate";
import { disconnectWebRedis, webRedis } from "@/lib/redis/connection";

/** Finding 7: failed sign-ins are limited per address (429 with Retry-After), on shared Redis. */
afterAll(async () => {
  await disconnectWebRedis();
  await disconnectDb();
});

const noParams = { params: Promise.resolve({}) };

function forgedSso(ip: string): NextRequest {
  const fields = new URLSearchParams({ resource_id: randomUUID(), timestamp: String(Math.floor(Date.now() / 1000)), resource_token: "0".repeat(40), email: "someone@example.com" });
  return new NextRequest("http://127.0.0.1:3000/heroku/sso", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": `203.0.113.9, ${ip}` },
    body: fields.toString(),
  });
}

describe("failed sign-ins", () => {
  it("are refused with 429 and Retry-After after 20 from one address, while another address still gets its answer", async () => {
    const ip = `198.51.100.${1 + Math.floor(Math.random() * 250)}`;
    await webRedis().del(...(await webRedis().keys(`ebbflow:ratelimit:sso-failures:${ip}:*`)), "ebbflow:none");
    const statuses: number[] = [];
    for (let i = 0; i < 21; i += 1) statuses.push((await sso(forgedSso(ip), noParams)).status);
    expect(statuses.slice(0, 20).every((status) => status === 403)).toBe(true);
    const limited = await sso(forgedSso(ip), noParams);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await sso(forgedSso(`2001:db8::${Math.floor(Math.random() * 9999)}`), noParams)).status).toBe(403);
  });
});

describe("limitRate", () => {
  it("counts in one shared window and says when to come back", async () => {
    const rate = { key: `test:${randomUUID()}`, limit: 3, windowSeconds: 60, what: "tries" };
    const nowMs = 1_800_000_030_000;
    for (let i = 0; i < 3; i += 1) await limitRate(webRedis(), rate, "take", nowMs);
    await expect(limitRate(webRedis(), rate, "take", nowMs)).rejects.toMatchObject({ code: "rate_limited", details: { retryAfterSeconds: 30 } });
    await expect(limitRate(webRedis(), rate, "check", nowMs)).rejects.toMatchObject({ code: "rate_limited" });
    await expect(limitRate(webRedis(), rate, "check", nowMs + 60_000)).resolves.toBeUndefined();
  });
});
