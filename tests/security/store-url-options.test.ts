import { describe, expect, it } from "vitest";
import type { Destination } from "@/lib/net/resolve-destination";
import { probePgConfig } from "@/lib/queues/pg-pool";
import { probeRedisOptions } from "@/lib/queues/redis-pool";
import { parsePostgresUrl, parseRedisUrl } from "@/lib/queues/store-url";

/*
 * pg and ioredis read options from a URL's query string (a unix socket `host` or `path`,
 * another port). Handing them the URL would let a tenant steer the connection past the
 * address check; only the fields Ebbflow reads reach the driver, with the checked address.
 * Nothing here connects.
 */
const checked: Destination = { address: "93.184.216.34", family: 4, port: 6380, host: "store.example.test", servername: "store.example.test" };

describe("a store URL's query string cannot redirect the connection", () => {
  it("Postgres: host, port and options from the query string are ignored", () => {
    const url = parsePostgresUrl("postgres://app:pw@store.example.test:5432/jobs?host=/var/run/postgresql&port=1&hostaddr=127.0.0.1&options=-c%20x=y&sslmode=verify-full");
    expect(url).not.toBeNull();
    const config = probePgConfig(url ?? expect.unreachable(), checked);
    expect(config).toMatchObject({ host: "93.184.216.34", port: 6380, user: "app", password: "pw", database: "jobs" });
    expect(config.ssl).toEqual({ rejectUnauthorized: true, servername: "store.example.test" });
    expect(config).not.toHaveProperty("connectionString");
    expect(JSON.stringify(config)).not.toMatch(/var\/run|127\.0\.0\.1|options/);
  });

  it("Redis: path, host and port from the query string are ignored; TLS keeps the typed name", () => {
    const url = parseRedisUrl("rediss://user:pw@store.example.test:6379/3?path=/tmp/redis.sock&host=127.0.0.1&port=1");
    expect(url).not.toBeNull();
    const options = probeRedisOptions(url ?? expect.unreachable(), checked);
    expect(options).toMatchObject({ host: "93.184.216.34", port: 6380, username: "user", password: "pw", db: 3 });
    expect(options.tls).toMatchObject({ servername: "store.example.test" });
    expect(options).not.toHaveProperty("path");
  });

  it("percent-encoded credentials are decoded, malformed ones refused", () => {
    expect(parseRedisUrl("redis://:p%40ss%2Fword@store.example.test")?.password).toBe("p@ss/word");
    expect(parseRedisUrl("redis://:p%zz@store.example.test")).toBeNull();
    expect(parsePostgresUrl("postgres://u:p%40ss@store.example.test/db")?.password).toBe("p@ss");
  });
});
