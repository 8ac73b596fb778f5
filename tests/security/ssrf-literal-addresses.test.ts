import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postWebhook } from "@/lib/notifications/post-webhook";
import { closeProbeConnections, probeQueues } from "@/lib/queues/probe";
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

type Kind = "sidekiq" | "bullmq" | "delayed_job" | "solid_queue" | "http";

function urlFor(kind: Kind, host: string): string {
  if (kind === "sidekiq" || kind === "bullmq") return `redis://:secret@${host}:${PORT}/0`;
  if (kind === "delayed_job" || kind === "solid_queue") return `postgres://user:secret@${host}:${PORT}/app`;
  return `http://${host}:${PORT}/hirefire/token/info`;
}

const kinds: Kind[] = ["sidekiq", "bullmq", "delayed_job", "solid_queue", "http"];

describe.each(kinds)("a %s source", (kind) => {
  it.each(loopbackSpellings)("refuses %s and connects to nothing", async (host) => {
    const before = listener.connections();
    const outcome = await probeQueues({ backend: kind, url: urlFor(kind, host) }).then(
      () => "probed",
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
