import { afterAll, describe, expect, it } from "vitest";
import { POST as provision } from "@/app/heroku/resources/route";
import { PUT as changePlan } from "@/app/heroku/resources/[id]/route";
import { INTERVAL_KEY, unscheduleTenant } from "@/lib/checks/due-set";
import { syncTenantSchedule } from "@/lib/checks/reconcile-schedules";
import { db, disconnectDb } from "@/lib/db/client";
import { closeQueue } from "@/lib/jobs/enqueue";
import { disconnectWebRedis, webRedis } from "@/lib/redis/connection";
import { jsonRequest, provisionBody, routeContext } from "../helpers/partner-requests";

/** Apps this file scheduled, taken off the shared check schedule at the end. */
const scheduled: string[] = [];

afterAll(async () => {
  for (const tenantId of scheduled) await unscheduleTenant(webRedis(), tenantId);
  await closeQueue();
  await disconnectWebRedis();
  await disconnectDb();
});

/** An add-on resource on `plan`, active and scheduled, as after the grant exchange. */
async function activeAddon(plan: string) {
  const body = provisionBody({ plan });
  const response = await provision(jsonRequest("POST", "/heroku/resources", body), routeContext({}));
  expect(response.status).toBe(200);
  const resourceId = String(body.uuid);
  const tenant = await db.tenant.update({ where: { herokuResourceId: resourceId }, data: { state: "active" }, select: { id: true } });
  scheduled.push(tenant.id);
  await syncTenantSchedule(webRedis(), tenant.id);
  return { resourceId, tenantId: tenant.id };
}

async function putPlan(resourceId: string, plan: string) {
  const response = await changePlan(jsonRequest("PUT", `/heroku/resources/${resourceId}`, { plan }), routeContext({ id: resourceId }));
  expect(response.status).toBe(200);
  return ((await response.json()) as { message: string }).message;
}

describe("Heroku plan changes", () => {
  it("hobby → pro changes the check interval of the running schedule at once", async () => {
    const { resourceId, tenantId } = await activeAddon("hobby");
    expect(await webRedis().hget(INTERVAL_KEY, tenantId)).toBe("60000");
    await putPlan(resourceId, "ebbflow:pro");
    expect(await webRedis().hget(INTERVAL_KEY, tenantId)).toBe("2000");
    await putPlan(resourceId, "standard");
    expect(await webRedis().hget(INTERVAL_KEY, tenantId)).toBe("10000");
  });

  it("pauses the process types a downgrade does not cover, keeps their rules, and says so", async () => {
    const { resourceId, tenantId } = await activeAddon("pro");
    const processTypes = ["worker", "critical", "mailers", "reports", "imports", "exports", "webhooks"];
    for (const [index, processType] of processTypes.entries()) {
      await db.processRule.create({ data: { tenantId, processType, createdAt: new Date(Date.now() - (100 - index) * 1000) } });
    }
    await db.processRule.update({ where: { tenantId_processType: { tenantId, processType: "critical" } }, data: { enabled: false } });

    // Standard covers 5: of the six enabled, the newest pauses.
    const standardMessage = await putPlan(resourceId, "standard");
    expect(standardMessage).toMatch(/Paused \(over the plan's limit\): webhooks\./);
    const enabledAfterStandard = await db.processRule.findMany({ where: { tenantId, enabled: true }, select: { processType: true } });
    expect(enabledAfterStandard.map((rule) => rule.processType).sort()).toEqual(["exports", "imports", "mailers", "reports", "worker"]);

    await putPlan(resourceId, "hobby");
    const rules = await db.processRule.findMany({ where: { tenantId }, select: { processType: true, enabled: true } });
    expect(rules).toHaveLength(processTypes.length);
    expect(rules.filter((rule) => rule.enabled).map((rule) => rule.processType)).toEqual(["worker"]);

    const notices = await db.auditLog.findMany({
      where: { tenantId, action: "billing.downgraded" },
      orderBy: { occurredAt: "asc" },
      select: { actor: true, details: true },
    });
    expect(notices.map((notice) => notice.details)).toEqual([
      expect.objectContaining({ plan: "standard", pausedProcessTypes: ["webhooks"] }),
      expect.objectContaining({ plan: "hobby", pausedProcessTypes: ["mailers", "reports", "imports", "exports"] }),
    ]);
    expect(notices[1]?.actor).toBe("heroku");
    expect(await webRedis().hget(INTERVAL_KEY, tenantId)).toBe("60000");

    // An upgrade pauses nothing and re-enables nothing on its own: the customer chooses.
    expect(await putPlan(resourceId, "pro")).not.toMatch(/Paused/);
    expect(await db.processRule.count({ where: { tenantId, enabled: true } })).toBe(1);
  });
});
