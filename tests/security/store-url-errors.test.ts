import { randomUUID } from "node:crypto";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db/client";
import { saveQueueSource } from "@/lib/dashboard/save-queue-source";
import { testQueueSource } from "@/lib/dashboard/test-queue-source";
import { AppError } from "@/lib/errors";
import { log, serializeError } from "@/lib/log";
import { closeProbeConnections } from "@/lib/queues/probe";

/*
 * An unparseable store URL used to throw Node's "Invalid URL" from inside the driver: a 500,
 * logged with the error's `input`, which is the whole URL and its password. Now the URL is
 * checked by zod where the source is parsed (a 4xx naming the field, no URL echoed), and every
 * logged error has URL credentials removed.
 */
const startedAt = new Date();
process.env.EBBFLOW_ALLOW_PRIVATE_TARGETS = "0";

afterAll(async () => {
  await closeProbeConnections();
  await db.tenant.deleteMany({ where: { appName: { startsWith: "sec-url-" }, createdAt: { gte: startedAt } } });
  await disconnectDb();
});

const badUrls = [
  ["sidekiq", "redis://:hunter2-secret@exa mple.com:6379"],
  ["bullmq", "redis://:hunter2-secret@example.com:99999"],
  ["rq", "redis://:hunter2%zz-secret@example.com:6379"],
  ["celery", "rediss://:hunter2-secret@[::1:6379"],
  ["good_job", "postgres://user:hunter2-secret@exa mple.com:5432/db"],
  ["que", "postgres://user:hunter2%zz-secret@example.com/db"],
] as const;

describe("an unparseable store URL", () => {
  it.each(badUrls)("%s %s: test connection answers invalid_config without the URL", async (backend, url) => {
    const answer = await testQueueSource(randomUUID(), { mode: "probe", processType: "worker", backend, url, queues: [], quiet: false });
    expect(answer).toMatchObject({ ok: false, kind: "invalid_config", message: expect.stringMatching(/url: is not a valid URL/) });
    expect(JSON.stringify(answer)).not.toMatch(/hunter2/);
  });

  it.each(badUrls)("%s %s: saving is a 422 that does not echo the URL", async (backend, url) => {
    const tenant = await db.tenant.create({ data: { channel: "direct", appName: `sec-url-${randomUUID().slice(0, 8)}`, plan: "standard", state: "active" }, select: { id: true } });
    const error = await saveQueueSource(tenant.id, { mode: "probe", processType: "worker", backend, url, queues: [], quiet: false }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 422 });
    expect(String(error)).not.toMatch(/hunter2/);
    expect(await db.queueSource.count({ where: { tenantId: tenant.id } })).toBe(0);
  });
});

describe("logged errors", () => {
  it("never carry a URL's credentials (Invalid URL's input, messages, stacks)", () => {
    let invalid: unknown;
    try {
      new URL("redis://:hunter2-secret@exa mple.com:6379");
    } catch (error) {
      invalid = error;
    }
    const driver = new Error("connect ECONNREFUSED postgres://app:hunter2-secret@db.example.com:5432/app");
    for (const error of [invalid, driver]) {
      const logged = JSON.stringify(serializeError(error));
      expect(logged).not.toMatch(/hunter2/);
      expect(logged).toMatch(/\[redacted\]@/);
    }
  });

  it("the process logger uses that serializer for err", () => {
    const serializers = (log as unknown as Record<symbol, Record<string, unknown>>)[pino.symbols.serializersSym];
    expect(serializers?.err).toBe(serializeError);
  });
});
