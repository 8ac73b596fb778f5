import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifySso } from "@/lib/auth/sso";
import { parseEnv } from "@/lib/env";

const salt = parseEnv({ NODE_ENV: "test" }).HEROKU_SSO_SALT;
const resourceId = "6f4d8a52-2b1c-4b8e-9c1a-0f7e3d2a1b4c";
const userId = "0b2d1e8f-5a6c-4d3e-8f7a-9b1c2d3e4f5a";
const email = "ada@example.com";
const now = 1_790_000_000;

const sha1 = (value: string) => createHash("sha1").update(value).digest("hex");
const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

function userScoped(timestamp = now) {
  return {
    resource_id: resourceId,
    timestamp: String(timestamp),
    user_id: userId,
    email,
    user_scoped_resource_token: sha256(`${resourceId}:${salt}:${timestamp}:${userId}:${email}`),
    "nav-data": "abc123",
  };
}

describe("verifySso", () => {
  it("accepts the user-scoped token (v3, preferred)", () => {
    expect(verifySso(userScoped(), now)).toMatchObject({ scope: "user", resourceId, email, herokuUserId: userId, navData: "abc123" });
  });

  it("accepts the resource token and the legacy token as proof of the resource only, whatever email the form names", () => {
    const timestamp = String(now);
    const resource = verifySso({ resource_id: resourceId, timestamp, resource_token: sha1(`${resourceId}:${salt}:${timestamp}`), email }, now);
    const legacy = verifySso({ id: resourceId, timestamp, token: sha1(`${resourceId}:${salt}:${timestamp}`), email }, now);
    for (const verified of [resource, legacy]) {
      expect(verified).toMatchObject({ scope: "resource", resourceId });
      expect(verified).not.toHaveProperty("email");
    }
  });

  it("does not let a bad user-scoped token fall back to a good resource token", () => {
    const timestamp = String(now);
    const params = { ...userScoped(), user_scoped_resource_token: sha256("guess"), resource_token: sha1(`${resourceId}:${salt}:${timestamp}`) };
    expect(() => verifySso(params, now)).toThrow(expect.objectContaining({ code: "forbidden" }));
  });

  it("refuses a wrong token, another user's email, and no token, with 403", () => {
    const forged = { ...userScoped(), user_scoped_resource_token: sha256("guess") };
    const otherEmail = { ...userScoped(), email: "mallory@example.com" };
    const none = { resource_id: resourceId, timestamp: String(now) };
    for (const params of [forged, otherEmail, none]) {
      expect(() => verifySso(params, now)).toThrow(expect.objectContaining({ code: "forbidden" }));
    }
  });

  it("refuses a timestamp more than 5 minutes old, or from the future", () => {
    expect(() => verifySso(userScoped(now - 301), now)).toThrow(/expired/);
    expect(verifySso(userScoped(now - 299), now).resourceId).toBe(resourceId);
    expect(() => verifySso(userScoped(now + 600), now)).toThrow(/future/);
  });
});
