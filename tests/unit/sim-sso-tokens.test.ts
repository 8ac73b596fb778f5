import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { computeSsoTokens } from "@/sim/driver/sso-tokens";
import { HerokuDriver } from "@/sim/driver/heroku-driver";

describe("computeSsoTokens", () => {
  it("hashes resource, salt, timestamp (and user) as Heroku's SSO documents", () => {
    const tokens = computeSsoTokens({
      resourceId: "01234567-89ab-cdef-0123-456789abcdef",
      legacyId: "123",
      salt: "2f97bfa52ca102f8874716e2eb1d3b4920ad0be4",
      timestamp: "1267597772",
      userId: "76543210-89ab-cdef-0123-456789abcdef",
      email: "user@example.com",
    });
    expect(tokens.token).toBe(createHash("sha1").update("123:2f97bfa52ca102f8874716e2eb1d3b4920ad0be4:1267597772").digest("hex"));
    expect(tokens.resource_token).toMatch(/^[0-9a-f]{40}$/);
    expect(tokens.user_scoped_resource_token).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens.user_scoped_resource_token).toBe(
      createHash("sha256")
        .update(
          "01234567-89ab-cdef-0123-456789abcdef:2f97bfa52ca102f8874716e2eb1d3b4920ad0be4:1267597772:76543210-89ab-cdef-0123-456789abcdef:user@example.com",
        )
        .digest("hex"),
    );
  });

  it("fills every field of Heroku's SSO form", () => {
    const driver = new HerokuDriver({ addonBaseUrl: "http://127.0.0.1:1", password: "x", ssoSalt: "salt", now: () => 1_700_000_000_500 });
    const fields = driver.ssoFields({ resourceId: "r-1", app: "my-app", email: "a@b.c", userId: "u-1" });
    expect(Object.keys(fields).sort()).toEqual(
      ["app", "context_app", "email", "id", "nav-data", "resource_id", "resource_token", "timestamp", "token", "user_id", "user_scoped_resource_token"].sort(),
    );
    expect(fields.timestamp).toBe("1700000000");
  });
});
