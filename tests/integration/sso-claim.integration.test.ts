import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { claimSsoToken } from "@/lib/auth/sso";

const redis = new Redis("redis://127.0.0.1:6379");
afterAll(() => redis.quit());

describe("claimSsoToken", () => {
  it("lets a token open one session only, even when claimed at once from many requests", async () => {
    const token = randomUUID();
    const claims = await Promise.all(Array.from({ length: 10 }, () => claimSsoToken(redis, token)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await claimSsoToken(redis, randomUUID())).toBe(true);
  });
});
