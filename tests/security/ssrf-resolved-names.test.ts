import http from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { configureDestinationLookup, type LookupAll } from "@/lib/net/resolve-destination";
import { postWebhook } from "@/lib/notifications/post-webhook";
import { closeProbeConnections, probeQueues } from "@/lib/queues/probe";
import { startCountingListener, type CountingListener } from "./counting-listener";

/*
 * Names that resolve to loopback, through a resolver the test controls (injected into lib/net,
 * which every source kind and webhooks use): refused, and nothing connected. Then DNS
 * rebinding: a name that answers differently on its second lookup is looked up once, and the
 * request goes to the address that was checked.
 */
process.env.EBBFLOW_ALLOW_PRIVATE_TARGETS = "0";

const PORT = 3134;
const REBIND_PORT = 3135;
let listener: CountingListener;
const lookups: string[] = [];

const answers: Record<string, string[]> = {
  "loopback.attacker.test": ["127.0.0.1"],
  "v6-loopback.attacker.test": ["::1"],
  "mapped.attacker.test": ["::ffff:127.0.0.1"],
  "compatible.attacker.test": ["::127.0.0.1"],
  "first-loopback.attacker.test": ["127.0.0.1", "93.184.216.34"],
};
const controlledLookup: LookupAll = async (name) => {
  lookups.push(name);
  const found = answers[name];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: "ENOTFOUND" });
  return found.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
};

beforeAll(async () => {
  listener = await startCountingListener(PORT);
});

afterEach(() => configureDestinationLookup(undefined));

afterAll(async () => {
  await closeProbeConnections();
  await listener.close();
});

const names = Object.keys(answers);
const kinds = [
  ["sidekiq", (host: string) => `redis://:secret@${host}:${PORT}/0`],
  ["celery", (host: string) => `rediss://:secret@${host}:${PORT}/0`],
  ["good_job", (host: string) => `postgres://user:secret@${host}:${PORT}/app`],
  ["que", (host: string) => `postgresql://user:secret@${host}:${PORT}/app?sslmode=verify-full`],
  ["delayed_job", (host: string) => `mysql://root:secret@${host}:${PORT}/app`],
  ["solid_queue", (host: string) => `mysql://root:secret@${host}:${PORT}/app?ssl-mode=VERIFY_IDENTITY`],
  ["celery", (host: string) => `amqp://guest:secret@${host}:${PORT}/`],
  ["amqp", (host: string) => `amqps://guest:secret@${host}:${PORT}/`],
  ["dramatiq", (host: string) => `redis://:secret@${host}:${PORT}/0`],
  ["http", (host: string) => `http://${host}:${PORT}/hirefire/token/info`],
] as const;

describe.each(kinds)("a %s source", (backend, urlFor) => {
  it.each(names)("refuses %s (resolves to loopback) and connects to nothing", async (name) => {
    configureDestinationLookup(controlledLookup);
    const before = listener.connections();
    const outcome = await probeQueues({ backend, url: urlFor(name) }).then(
      () => "probed",
      (error: unknown) => error,
    );
    expect(listener.connections() - before, "connections made").toBe(0);
    expect(outcome).toMatchObject({ kind: "address_refused", message: expect.stringMatching(/^refused: private address/) });
  });
});

describe("a notification webhook", () => {
  it.each(names)("refuses %s and connects to nothing", async (name) => {
    configureDestinationLookup(controlledLookup);
    const before = listener.connections();
    const problem = await postWebhook(`http://${name}:${PORT}/hook`, { text: "x" }, { allowPrivateAddresses: false });
    expect(listener.connections() - before, "connections made").toBe(0);
    expect(problem).toMatch(/refused: private address/);
  });
});

describe("DNS rebinding", () => {
  const hits = { v4: 0, v6: 0 };
  const servers: http.Server[] = [];

  beforeAll(async () => {
    for (const [host, family] of [["127.0.0.1", "v4"], ["::1", "v6"]] as const) {
      const server = http.createServer((request, reply) => {
        hits[family] += 1;
        request.resume();
        request.on("end", () => reply.writeHead(204).end());
      });
      await new Promise<void>((resolve) => server.listen({ host, port: REBIND_PORT, ipv6Only: family === "v6" }, resolve));
      servers.push(server);
    }
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  });

  it("a webhook looks its host up once and posts to the address it checked", async () => {
    let calls = 0;
    // The first answer is the one checked; any later lookup would answer another address.
    configureDestinationLookup(async () => {
      calls += 1;
      return [{ address: calls === 1 ? "127.0.0.1" : "::1", family: calls === 1 ? 4 : 6 }];
    });
    const problem = await postWebhook(`http://rebind.attacker.test:${REBIND_PORT}/hook`, { text: "x" }, { allowPrivateAddresses: true });
    expect(problem).toBeNull();
    expect(calls).toBe(1);
    expect(hits).toEqual({ v4: 1, v6: 0 });
  });
});
