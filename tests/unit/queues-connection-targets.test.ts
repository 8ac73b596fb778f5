import { describe, expect, it } from "vitest";
import { connectionTarget as amqpTarget } from "@/lib/queues/amqp-pool";
import { connectionTarget as mysqlTarget } from "@/lib/queues/mysql-pool";
import { managementTarget } from "@/lib/queues/rabbitmq-management";
import { parseSource } from "@/lib/queues/probe";

describe("connection targets of the new connectors", () => {
  it("reads an AMQP URL's host, default ports and vhost the way RabbitMQ does", () => {
    expect(amqpTarget("amqps://u:p%40ss@bunny.cloudamqp.com/abcdef")).toEqual({
      protocol: "amqps",
      host: "bunny.cloudamqp.com",
      port: 5671,
      servername: "bunny.cloudamqp.com",
      username: "u",
      password: "p@ss",
      vhost: "abcdef",
    });
    expect(amqpTarget("amqp://guest:guest@127.0.0.1").vhost).toBe("/");
    expect(amqpTarget("amqp://guest:guest@127.0.0.1/").vhost).toBe("/");
    expect(amqpTarget("amqp://guest:guest@127.0.0.1/%2F").vhost).toBe("/");
    expect(amqpTarget("amqp://127.0.0.1:5673/x").port).toBe(5673);
    expect(() => amqpTarget("redis://127.0.0.1")).toThrow(/amqp:\/\//);
  });

  it("reads a MySQL URL and its TLS mode", () => {
    expect(mysqlTarget("mysql://user:pw@db.example.com/app")).toMatchObject({ host: "db.example.com", port: 3306, database: "app", tls: false });
    expect(mysqlTarget("mysql://u:p@h:3307/app?ssl-mode=REQUIRED")).toMatchObject({ port: 3307, tls: { verify: false } });
    expect(mysqlTarget("mysql://u:p@h/app?ssl-mode=VERIFY_IDENTITY").tls).toEqual({ verify: true });
    expect(mysqlTarget("mysql2://u:p@h/app?ssl=true&reconnect=true").tls).toEqual({ verify: true });
    expect(() => mysqlTarget("mysql://u:p@h")).toThrow(/names no database/);
  });

  it("takes the management API's credentials from its URL, else from the broker's", () => {
    const broker = { username: "app", password: "secret" };
    expect(managementTarget("https://bunny.cloudamqp.com", broker)).toMatchObject({ port: 443, basePath: "", username: "app", password: "secret" });
    expect(managementTarget("https://mon:pw@bunny.cloudamqp.com/api/", broker)).toMatchObject({ basePath: "", username: "mon", password: "pw" });
    expect(managementTarget("http://127.0.0.1:15672/rabbit", broker)).toMatchObject({ port: 15672, basePath: "/rabbit" });
  });

  it("accepts each backend's URL schemes and refuses the others", () => {
    expect(parseSource({ backend: "celery", url: "amqps://h/v" }).backend).toBe("celery");
    expect(parseSource({ backend: "celery", url: "rediss://h" }).backend).toBe("celery");
    expect(parseSource({ backend: "solid_queue", url: "mysql://u@h/db" }).backend).toBe("solid_queue");
    expect(parseSource({ backend: "queue_classic", url: "postgres://h/db" }).backend).toBe("queue_classic");
    expect(() => parseSource({ backend: "good_job", url: "mysql://u@h/db" })).toThrow(/postgres/);
    expect(() => parseSource({ backend: "amqp", url: "redis://h" })).toThrow(/amqp:\/\//);
    expect(() => parseSource({ backend: "dramatiq", url: "amqp://h" })).toThrow(/redis/);
    expect(() => parseSource({ backend: "amqp", url: "amqp://h", managementUrl: "ftp://h" })).toThrow(/managementUrl/);
    expect(() => parseSource({ backend: "celery", url: "redis://h", managementUrl: "https://h" })).toThrow(/managementUrl/);
  });
});
