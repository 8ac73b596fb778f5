import { randomUUID } from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db/client";
import { resolveProbeSource } from "@/lib/dashboard/queue-source-request";
import { saveQueueSource } from "@/lib/dashboard/save-queue-source";
import { testQueueSource } from "@/lib/dashboard/test-queue-source";

/*
 * "Test connection" with a new pull URL and a blank token used to send the saved HireFire
 * token to the new URL's host. The saved token goes only to the saved scheme, host and port.
 * Both endpoints here are loopback servers, so private targets are allowed in this file.
 */
const startedAt = new Date();
process.env.EBBFLOW_ALLOW_PRIVATE_TARGETS = "1";

const SAVED_PORT = 3136;
const OTHER_PORT = 3137;
const tokensSeen: Record<number, (string | undefined)[]> = { [SAVED_PORT]: [], [OTHER_PORT]: [] };
const servers: http.Server[] = [];

beforeAll(async () => {
  for (const port of [SAVED_PORT, OTHER_PORT]) {
    const server = http.createServer((request, reply) => {
      const token = request.headers["hirefire-token"];
      tokensSeen[port]?.push(Array.isArray(token) ? token[0] : token);
      reply.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify([{ name: "worker", value: 3 }]));
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    servers.push(server);
  }
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  await db.tenant.deleteMany({ where: { appName: { startsWith: "sec-hf-" }, createdAt: { gte: startedAt } } });
  await disconnectDb();
});

async function tenantWithSavedPull(): Promise<string> {
  const tenant = await db.tenant.create({ data: { channel: "direct", appName: `sec-hf-${randomUUID().slice(0, 8)}`, plan: "standard", state: "active" }, select: { id: true } });
  await saveQueueSource(tenant.id, {
    mode: "probe",
    quiet: false,
    processType: "worker",
    backend: "http",
    url: `http://127.0.0.1:${SAVED_PORT}/hirefire/info`,
    queues: [],
    httpToken: "saved-hirefire-secret",
  });
  return tenant.id;
}

describe("the saved HireFire token", () => {
  it("is not sent to a new host during test connection", async () => {
    const tenantId = await tenantWithSavedPull();
    const answer = await testQueueSource(tenantId, { mode: "probe", processType: "worker", backend: "http", url: `http://127.0.0.1:${OTHER_PORT}/hirefire/info`, queues: [], quiet: false });
    expect(answer.ok).toBe(true);
    expect(tokensSeen[OTHER_PORT]).toEqual([undefined]);
  });

  it("is still used for the saved host when the form leaves it blank", async () => {
    const tenantId = await tenantWithSavedPull();
    const answer = await testQueueSource(tenantId, { mode: "probe", processType: "worker", backend: "http", url: `http://127.0.0.1:${SAVED_PORT}/hirefire/info`, queues: [], quiet: false });
    expect(answer.ok).toBe(true);
    expect(tokensSeen[SAVED_PORT]?.at(-1)).toBe("saved-hirefire-secret");
  });

  it("is not carried over to another scheme or port", async () => {
    const tenantId = await tenantWithSavedPull();
    for (const url of [`https://127.0.0.1:${SAVED_PORT}/hirefire/info`, `http://localhost:${SAVED_PORT}/hirefire/info`, `http://127.0.0.1:${OTHER_PORT}/x`]) {
      const source = await resolveProbeSource(tenantId, { mode: "probe", processType: "worker", backend: "http", url, queues: [], quiet: false });
      expect(source.http?.token).toBeUndefined();
    }
  });
});
