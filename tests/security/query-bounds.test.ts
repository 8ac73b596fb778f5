import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventsQuerySchema, listScaleEvents } from "@/lib/dashboard/list-scale-events";
import { db, disconnectDb } from "@/lib/db/client";

/** Finding 7: the events page's `before` cursor past int64 made its query fail (shown as a 200). */
let tenantId = "";

beforeAll(async () => {
  const tenant = await db.tenant.create({ data: { channel: "heroku", appName: `bounds-${randomUUID().slice(0, 8)}`, plan: "standard", state: "active" }, select: { id: true } });
  tenantId = tenant.id;
});

afterAll(async () => {
  await db.tenant.delete({ where: { id: tenantId } });
  await disconnectDb();
});

describe("events cursor", () => {
  it.each(["9223372036854775808", "9999999999999999999", "18446744073709551616"])("refuses before=%s instead of failing the query", async (before) => {
    const parsed = eventsQuerySchema.safeParse({ before });
    if (parsed.success) await expect(listScaleEvents(tenantId, parsed.data)).resolves.toBeDefined();
    expect(parsed.success).toBe(false);
  });

  it("still takes the largest id there can be", async () => {
    const parsed = eventsQuerySchema.parse({ before: "9223372036854775807" });
    await expect(listScaleEvents(tenantId, parsed)).resolves.toMatchObject({ events: [] });
  });
});

describe("events cursor that is not a number", () => {
  it.each(["%", "-1", "1e3", "12a", " 1"])("refuses before=%j without throwing", (before) => {
    expect(eventsQuerySchema.safeParse({ before }).success).toBe(false);
  });
});
