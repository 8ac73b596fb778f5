import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { claimSsoForm, type VerifiedSso } from "@/lib/auth/sso";

const redis = new Redis("redis://127.0.0.1:6379");
afterAll(() => redis.quit());

const form = (scope: VerifiedSso["scope"], formKey: string, userKey: string | null = null) => ({
  scope,
  replayKey: { form: `ebbflow:test:sso:${formKey}`, user: userKey === null ? null : `ebbflow:test:sso:${userKey}` },
});

describe("claimSsoForm", () => {
  it("lets a form open one session only, even when claimed at once from many requests", async () => {
    const key = randomUUID();
    const claims = await Promise.all(Array.from({ length: 10 }, () => claimSsoForm(redis, form("user", key, `${key}:u`))));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const resourceClaims = await Promise.all(Array.from({ length: 10 }, () => claimSsoForm(redis, form("resource", randomUUID()))));
    expect(resourceClaims.filter(Boolean)).toHaveLength(10);
  });

  it("lets two users open the same add-on in the same second, but not a form's resource token after its user token", async () => {
    const key = randomUUID();
    expect(await claimSsoForm(redis, form("user", key, `${key}:a`))).toBe(true);
    expect(await claimSsoForm(redis, form("user", key, `${key}:b`))).toBe(true);
    expect(await claimSsoForm(redis, form("resource", key))).toBe(false);
  });

  it("refuses a form's user token after its resource token opened a session", async () => {
    const key = randomUUID();
    expect(await claimSsoForm(redis, form("resource", key))).toBe(true);
    expect(await claimSsoForm(redis, form("user", key, `${key}:a`))).toBe(false);
  });
});
