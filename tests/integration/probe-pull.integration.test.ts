import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProbeError } from "@/lib/queues/errors";
import { probeQueues } from "@/lib/queues/probe";
import { safeGet } from "@/lib/queues/pull/safe-get";
import type { HttpSourceOptions, QueueSourceInput } from "@/lib/queues/schema";

/**
 * Pull against a local HTTP server that answers like an app with a HireFire agent, an
 * Ebbflow report, a redirect, an oversized body and a request that never finishes. Loopback
 * is refused unless the development-only option allows it.
 */
let server: Server;
let base = "";
const seenTokens: (string | undefined)[] = [];

const routes: Record<string, (request: IncomingMessage, response: ServerResponse) => void> = {
  "/hirefire/secret/info": (request, response) => {
    seenTokens.push(request.headers["hirefire-token"] as string | undefined);
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify([{ name: "web", value: 3 }, { name: "worker", value: 12 }]));
  },
  "/legacy": (_request, response) => response.end(JSON.stringify([{ name: "worker", quantity: 7 }])),
  "/latency": (_request, response) => response.end(JSON.stringify([{ name: "worker", value: 2.5 }])),
  "/ebbflow": (_request, response) =>
    response.end(JSON.stringify({ queues: [{ name: "default", depth: 4, latencyMs: 1200, busy: 1 }], scheduled: 2, retries: null })),
  "/redirect": (_request, response) => {
    response.statusCode = 302;
    response.setHeader("location", "http://example.invalid/elsewhere");
    response.end();
  },
  "/huge": (_request, response) => response.end(`[${"0,".repeat(200_000)}0]`),
  "/hang": () => undefined,
  "/html": (_request, response) => response.end("<html>hello</html>"),
};

beforeAll(async () => {
  server = createServer((request, response) => (routes[request.url ?? ""] ?? ((_q, r) => ((r.statusCode = 404), r.end())))(request, response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const dev = (path: string, http: Partial<HttpSourceOptions> = {}): QueueSourceInput => ({
  backend: "http",
  url: `${base}${path}`,
  http: { ...http },
});

async function failure(source: QueueSourceInput): Promise<ProbeError> {
  try {
    await probeQueues(source);
  } catch (error) {
    if (error instanceof ProbeError) return error;
    throw error;
  }
  throw new Error("the pull did not fail");
}

describe("pull probe", () => {
  it("reads HireFire's format for the configured process type and sends the token", async () => {
    const result = await probeQueues(dev("/hirefire/secret/info", { token: "secret" }));
    expect(result.queues).toEqual([{ name: "worker", depth: 12, latencyMs: null, busy: null }]);
    expect(seenTokens).toContain("secret");
    const legacy = await probeQueues(dev("/legacy"));
    expect(legacy.totalDepth).toBe(7);
  });

  it("reads HireFire's job_queue_latency (seconds) as latency in ms", async () => {
    const result = await probeQueues(dev("/latency", { hirefireMetric: "latency" }));
    expect(result.maxLatencyMs).toBe(2500);
  });

  it("reads Ebbflow's report format", async () => {
    const result = await probeQueues(dev("/ebbflow", { format: "ebbflow" }));
    expect(result).toMatchObject({ totalDepth: 4, maxLatencyMs: 1200, busy: 1, scheduled: 2, retries: null });
  });

  it("refuses loopback and localhost unless private targets are allowed (tests/security covers every spelling)", async () => {
    const port = new URL(base).port;
    const strict = { headers: {}, timeoutMs: 2000, maxBytes: 1024, allowPrivateAddresses: false };
    for (const url of [`${base}/hirefire/secret/info`, `http://localhost:${port}/legacy`, `http://[::ffff:127.0.0.1]:${port}/legacy`]) {
      await expect(safeGet(url, strict)).rejects.toMatchObject({ kind: "address_refused" });
    }
  });

  it("refuses redirects, oversized answers, non-JSON and missing process types", async () => {
    expect((await failure(dev("/redirect"))).message).toMatch(/redirect/);
    expect((await failure(dev("/huge"))).message).toMatch(/larger than 256 KB/);
    expect((await failure(dev("/html"))).kind).toBe("unparseable");
    expect((await failure(dev("/legacy", { processType: "urgent" }))).message).toMatch(/lists: worker/);
    expect((await failure(dev("/nope"))).kind).toBe("bad_response");
  });

  it("gives up after 5 s", async () => {
    const started = Date.now();
    const error = await failure(dev("/hang"));
    expect(error.kind).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(6000);
  });
});
