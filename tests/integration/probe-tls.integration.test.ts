import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeProbeConnections, probeQueues } from "@/lib/queues/probe";

/**
 * Heroku Redis speaks TLS with a self-signed certificate (rediss://). This runs a real Redis
 * with TLS only, on a free port, with a certificate made for the test.
 */
let redisServer: ChildProcess;
let port = 0;
const dir = mkdtempSync(path.join(tmpdir(), "ebbflow-tls-"));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

beforeAll(async () => {
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
    "-keyout", path.join(dir, "tls.key"), "-out", path.join(dir, "tls.crt")], { stdio: "ignore" });
  port = await freePort();
  redisServer = spawn("redis-server", ["--port", "0", "--tls-port", String(port), "--bind", "127.0.0.1",
    "--tls-cert-file", path.join(dir, "tls.crt"), "--tls-key-file", path.join(dir, "tls.key"),
    "--tls-auth-clients", "no", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "ignore"] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("TLS Redis did not start")), 10_000);
    redisServer.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
});

afterAll(async () => {
  await closeProbeConnections();
  redisServer.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
});

describe("probes over TLS (rediss://)", () => {
  it("reads a Sidekiq queue from a Redis that speaks only TLS, with a self-signed certificate", async () => {
    const writer = new Redis({ host: "127.0.0.1", port, tls: { rejectUnauthorized: false } });
    const enqueuedAt = Date.now() / 1000 - 5;
    await writer.sadd("queues", "default");
    for (let i = 0; i < 3; i += 1) {
      await writer.lpush("queue:default", JSON.stringify({ class: "HardJob", args: [], jid: `j${i}`, queue: "default", enqueued_at: enqueuedAt }));
    }
    await writer.quit();

    const result = await probeQueues({ backend: "sidekiq", url: `rediss://127.0.0.1:${port}` });
    expect(result.totalDepth).toBe(3);
    expect(result.maxLatencyMs).toBeGreaterThan(4_000);
    expect(result.maxLatencyMs).toBeLessThan(7_000);
  });

  it("does not fall back to plain text when TLS is asked for", async () => {
    await expect(probeQueues({ backend: "sidekiq", url: "rediss://127.0.0.1:6379" })).rejects.toMatchObject({ kind: expect.stringMatching(/unreachable|timeout/) });
  });
});
