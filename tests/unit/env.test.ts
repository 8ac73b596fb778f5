import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";

const key = Buffer.alloc(32, 1).toString("base64");
const production = {
  NODE_ENV: "production",
  DATABASE_URL: "postgresql://u:p@db.example.com:5432/ebbflow",
  REDIS_URL: "rediss://:p@redis.example.com:6380",
  APP_URL: "https://ebbflow.example.com",
  ENCRYPTION_KEY: key,
  NEXTAUTH_SECRET: "a-long-enough-secret",
  HEROKU_ADDON_PASSWORD: "addon-password",
  HEROKU_SSO_SALT: "sso-salt-value",
  HEROKU_PARTNER_CLIENT_SECRET: "partner",
  HEROKU_OAUTH_ID: "oauth-id",
  HEROKU_OAUTH_SECRET: "oauth-secret",
};

function problemsOf(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe("parseEnv", () => {
  it("gives development and tests working defaults", () => {
    const dev = parseEnv({ NODE_ENV: "development" });
    expect(dev.DATABASE_URL).toBe("postgresql://postgres@127.0.0.1:5432/ebbflow_dev");
    expect(dev.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(parseEnv({ NODE_ENV: "test" }).DATABASE_URL).toMatch(/ebbflow_test$/);
    expect(dev.HEROKU_API_URL).toBe("https://api.heroku.com");
    expect(dev.HEROKU_ADDON_ID).toBe("ebbflow");
  });

  it("accepts a complete production environment", () => {
    const parsed = parseEnv(production);
    expect(parsed.ENCRYPTION_KEY).toEqual([key]);
    expect(parsed.PORT).toBe(3000);
  });

  it("names every missing secret in production instead of using defaults", () => {
    const { HEROKU_SSO_SALT: _salt, ENCRYPTION_KEY: _key, ...rest } = production;
    expect(problemsOf(rest)).toEqual(["ENCRYPTION_KEY is required", "HEROKU_SSO_SALT is required"]);
  });

  it("says what was expected of a malformed value", () => {
    expect(problemsOf({ ...production, ENCRYPTION_KEY: "c2hvcnQ=" })).toEqual([
      "ENCRYPTION_KEY.0 must be 32 bytes, base64-encoded",
    ]);
    expect(problemsOf({ ...production, REDIS_URL: "http://example.com" })).toEqual([
      "REDIS_URL must be a redis:// or rediss:// URL",
    ]);
    expect(problemsOf({ ...production, PORT: "eighty" })).toHaveLength(1);
  });

  it("takes a list of keys for rotation, newest first", () => {
    const older = Buffer.alloc(32, 2).toString("base64");
    expect(parseEnv({ ...production, ENCRYPTION_KEY: `${key}, ${older}` }).ENCRYPTION_KEY).toEqual([key, older]);
  });
});
