import { describe, expect, it } from "vitest";
import { databaseConnection } from "@/lib/db/pg-tls";
import { EnvError, envSetting, parseEnv } from "@/lib/env";
import { redisTls } from "@/lib/redis/redis-tls";

const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const herokuUrl = "postgres://u:p@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d1";

describe("Ebbflow's own Postgres connection", () => {
  it("uses TLS without verification for a remote host with no sslmode, as Heroku Postgres needs", () => {
    expect(databaseConnection(herokuUrl)).toEqual({ connectionString: herokuUrl, ssl: { rejectUnauthorized: false } });
  });

  it("stays in plain text on loopback without sslmode, and when sslmode=disable", () => {
    expect(databaseConnection("postgresql://postgres@127.0.0.1:5432/x").ssl).toBe(false);
    expect(databaseConnection(`${herokuUrl}?sslmode=disable`).ssl).toBe(false);
  });

  it("honours sslmode=require on loopback and removes the parameters node-postgres would reinterpret", () => {
    const { connectionString, ssl } = databaseConnection("postgresql://postgres@127.0.0.1:5440/x?sslmode=require&sslrootcert=/x&application_name=e");
    expect(ssl).toEqual({ rejectUnauthorized: false });
    expect(connectionString).toBe("postgresql://postgres@127.0.0.1:5440/x?application_name=e");
  });

  it("verifies against the CA bundle when one is given, the host name only for verify-full", () => {
    const required = databaseConnection(`${herokuUrl}?sslmode=require`, pem).ssl;
    expect(required).toMatchObject({ ca: pem, rejectUnauthorized: true });
    expect(required && required.checkServerIdentity?.("h", {} as never)).toBeUndefined();
    const full = databaseConnection(`${herokuUrl}?sslmode=verify-full`, pem).ssl;
    expect(full).toEqual({ ca: pem, rejectUnauthorized: true });
    expect(databaseConnection(`${herokuUrl}?sslmode=verify-ca`).ssl).toMatchObject({ rejectUnauthorized: true });
  });
});

describe("Ebbflow's own Redis connection", () => {
  it("speaks TLS for rediss:// only, verifying only with a CA bundle", () => {
    expect(redisTls("redis://127.0.0.1:6379")).toEqual({});
    expect(redisTls("rediss://:p@ec2-1-2-3-4.compute-1.amazonaws.com:6380")).toEqual({ tls: { rejectUnauthorized: false } });
    expect(redisTls("rediss://h:6380", pem)).toEqual({ tls: { ca: pem, rejectUnauthorized: true } });
  });
});

describe("settings read through the environment schema", () => {
  it("validates one setting on its own, so a typo is an error and not a 1 ms timer", () => {
    expect(envSetting("EBBFLOW_MAINTENANCE_MS", {})).toBe(60_000);
    expect(envSetting("EBBFLOW_MAINTENANCE_MS", { EBBFLOW_MAINTENANCE_MS: "5000" })).toBe(5000);
    expect(() => envSetting("EBBFLOW_MAINTENANCE_MS", { EBBFLOW_MAINTENANCE_MS: "1" })).toThrow(EnvError);
    expect(() => envSetting("EBBFLOW_MAINTENANCE_MS", { EBBFLOW_MAINTENANCE_MS: "60s" })).toThrow(/EBBFLOW_MAINTENANCE_MS/);
    expect(() => envSetting("LOG_LEVEL", { LOG_LEVEL: "verbose" })).toThrow(/LOG_LEVEL/);
    expect(envSetting("LOG_LEVEL", { LOG_LEVEL: "" })).toBeUndefined();
  });

  it("takes pool sizes and a CA bundle from the environment, and Heroku's hex secrets as keys", () => {
    const parsed = parseEnv({ NODE_ENV: "test", DATABASE_POOL_MAX: "4", TLS_CA_BUNDLE: pem, ENCRYPTION_KEY: "ab".repeat(32) });
    expect(parsed.DATABASE_POOL_MAX).toBe(4);
    expect(parsed.TLS_CA_BUNDLE).toBe(pem);
    expect(Buffer.from(parsed.ENCRYPTION_KEY[0] ?? "", "base64")).toEqual(Buffer.alloc(32, 0xab));
    expect(() => parseEnv({ NODE_ENV: "test", TLS_CA_BUNDLE: "/etc/ssl/ca.pem" })).toThrow(/TLS_CA_BUNDLE/);
    expect(() => parseEnv({ NODE_ENV: "test", DATABASE_POOL_MAX: "0" })).toThrow(/DATABASE_POOL_MAX/);
  });
});
