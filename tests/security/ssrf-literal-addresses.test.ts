import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postWebhook } from "@/lib/notifications/post-webhook";
import { closeProbeConnections, probeQueues } from "@/lib/queues/probe";
import { fetchManagedQueues, managementTarget } from "@/lib/queues/rabbitmq-management";
import { startCountingListener, type CountingListener } from "./counting-listener";

/*
 * With private targets not allowed (the production setting), every spelling of a loopback or
 * private address is refused for every kind of customer-given destination, and nothing is
 * connected to: a loopback listener on the target port counts every connection and must stay
 * at 0. Private (non-loopback) ranges are refused by the same check, tested without any
 * connection in destination-policy.test.ts. The vitest "security" project runs with EBBFLOW_ALLOW_PRIVATE_TARGETS=0; it is set here
 * too so the file says what it tests.
 */
process.env.EBBFLOW_ALLOW_PRIVATE_TARGETS = "0";

const PORT = 3131;
let listener: CountingListener;

beforeAll(async () => {
  listener = await startCountingListener(PORT);
});

afterAll(async () => {
  await closeProbeConnections();
  await listener.close();
});

/** Host spellings (as they appear in a URL's authority) that all mean loopback. */
const loopbackSpellings = [
  "127.0.0.1",
  "127.0.0.2",
  "2130706433",
  "0177.0.0.1",
  "0x7f.0.0.1",
  "0x7f000001",
  "127.1",
  "0",
  "0.0.0.0",
  "[::1]",
  "[0:0:0:0:0:0:0:1]",
  "[::ffff:127.0.0.1]",
  "[::ffff:7f00:1]",
  "[::127.0.0.1]",
  "[0:0:0:0:0:ffff:7f00:1]",
  "[::ffff:0:127.0.0.1]",
  "[64:ff9b::127.0.0.1]",
  "[2002:7f00:1::]",
  "[::]",
  "localhost",
];

/** Every store a source can name: [label, backend, URL for a host, management URL for a host]. */
const kinds = [
  ["sidekiq", "sidekiq", (host: string) => `redis://:secret@${host}:${PORT}/0`],
  ["bullmq", "bullmq", (host: string) => `redis://:secret@${host}:${PORT}/0`],
  ["bull", "bull", (host: string) => `redis://:secret@${host}:${PORT}/0`],
  ["dramatiq", "dramatiq", (host: string) => `redis://:secret@${host}:${PORT}/0`],
  ["delayed_job on Postgres", "delayed_job", (host: string) => `postgres://user:secret@${host}:${PORT}/app`],
  ["solid_queue on Postgres", "solid_queue", (host: string) => `postgres://user:secret@${host}:${PORT}/app`],
  ["queue_classic", "queue_classic", (host: string) => `postgres://user:secret@${host}:${PORT}/app`],
  ["delayed_job on MySQL", "delayed_job", (host: string) => `mysql://root:secret@${host}:${PORT}/app`],
  ["solid_queue on MySQL", "solid_queue", (host: string) => `mysql://root:secret@${host}:${PORT}/app`],
  ["celery on RabbitMQ", "celery", (host: string) => `amqp://guest:secret@${host}:${PORT}/`],
  ["amqp", "amqp", (host: string) => `amqps://guest:secret@${host}:${PORT}/`],
  ["http", "http", (host: string) => `http://${host}:${PORT}/hirefire/token/info`],
] as const;

describe.each(kinds)("a %s source", (_label, backend, urlFor) => {
  it.each(loopbackSpellings)("refuses %s and connects to nothing", async (host) => {
    const before = listener.connections();
    const outcome = await probeQueues({ backend, url: urlFor(host) }).then(
      () => "probed",
      (error: unknown) => error,
    );
    expect(listener.connections() - before, "connections made").toBe(0);
    expect(outcome).toMatchObject({ kind: "address_refused" });
  });
});

describe("a RabbitMQ management URL", () => {
  it.each(loopbackSpellings)("refuses %s and connects to nothing", async (host) => {
    const before = listener.connections();
    const target = managementTarget(`http://${host}:${PORT}/`, { username: "guest", password: "secret" });
    const outcome = await fetchManagedQueues(target, "/").then(
      () => "fetched",
      (error: unknown) => error,
    );
    expect(listener.connections() - before, "connections made").toBe(0);
    expect(outcome).toMatchObject({ kind: "address_refused" });
  });
});

describe("a notification webhook", () => {
  it.each(loopbackSpellings)("refuses %s and connects to nothing", async (host) => {
    const before = listener.connections();
    const problem = await postWebhook(`http://${host}:${PORT}/hook`, { text: "x" }, { allowPrivateAddresses: false });
    expect(listener.connections() - before, "connections made").toBe(0);
    expect(problem).toMatch(/refused: private address/);
  });
});

it("the listener counts connections (the test can fail)", async () => {
  const net = await import("node:net");
  const before = listener.connections();
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect(PORT, "127.0.0.1", () => {
      socket.destroy();
      resolve();
    });
    socket.on("error", reject);
  });
  await expect.poll(() => listener.connections() - before).toBe(1);
});
