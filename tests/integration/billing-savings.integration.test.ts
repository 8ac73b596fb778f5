import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynoDollars } from "@/lib/billing/dyno-prices";
import { getMonthlySavings } from "@/lib/billing/monthly-savings";
import { db, disconnectDb } from "@/lib/db/client";
import type { ScaleOutcome } from "@/lib/db/generated/client";
import { ManualClock } from "@/sim/clock";
import { startSim, type Sim } from "@/sim/start-sim";
import { callApi, uniqueName } from "@/sim/testing/sim-test-kit";

/**
 * A simulated month: the simulated Heroku runs an app's formation and bills every dyno to the
 * second from its own ledger; the same formation changes are recorded as Ebbflow's scale
 * events, and Ebbflow's savings figure must agree with the simulator's bill.
 */
const MONTH_START_MS = Date.UTC(2026, 9, 1); // October 2026: 31 days, so not the 720-hour month prices are quoted for
const MONTH_END_MS = Date.UTC(2026, 10, 1);

/** A small deterministic generator, so the month is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const processTypes = [
  { type: "worker", size: "standard-1x", min: 0, max: 8, start: 1 },
  { type: "urgent", size: "performance-m", min: 1, max: 4, start: 1 },
] as const;

let sim: Sim;
let clock: ManualClock;

beforeAll(async () => {
  clock = new ManualClock({ startMs: MONTH_START_MS });
  // Tokens outlive the month, as a refreshed authorization would.
  sim = await startSim({ clock, port: 0, bootDelaySeconds: 30, tokenTtlSeconds: 40 * 86_400 });
});

afterAll(async () => {
  await sim.close();
  await disconnectDb();
});

describe("monthly savings", () => {
  it("matches the simulated Heroku's per-second bill for a month of formation changes", async () => {
    const tenant = await db.tenant.create({
      data: { channel: "direct", appName: `savings-${randomUUID().slice(0, 8)}`, plan: "pro", state: "active", createdAt: new Date(MONTH_START_MS - 40 * 86_400_000) },
      select: { id: true },
    });
    for (const processType of processTypes) {
      await db.processRule.create({
        data: { tenantId: tenant.id, processType: processType.type, minDynos: processType.min, maxDynos: processType.max, settings: { dynoSize: processType.size } },
      });
    }
    // The worker's last change before the month: Ebbflow starts the month from it.
    await db.scaleEvent.create({
      data: { tenantId: tenant.id, processType: "worker", fromQuantity: 3, toQuantity: 1, reason: "queue drained", outcome: "applied", occurredAt: new Date(MONTH_START_MS - 3_600_000) },
    });

    const account = sim.createAccount();
    const token = sim.issueToken(account.id, ["write"]).accessToken;
    const app = await sim.createApp({
      owner: account.id,
      name: uniqueName("savings"),
      processTypes: processTypes.map((p) => ({ type: p.type, size: p.size, quantity: p.start })),
    });

    const random = seeded(20261001);
    const quantities = new Map<string, number>(processTypes.map((p) => [p.type, p.start]));
    let changes = 0;
    for (;;) {
      const nextMs = clock.now() + Math.floor((10 + random() * 350) * 60_000) + Math.floor(random() * 1000);
      if (nextMs >= MONTH_END_MS) break;
      await clock.advance(nextMs - clock.now());
      const processType = processTypes[Math.floor(random() * processTypes.length)] ?? processTypes[0];
      const from = quantities.get(processType.type) ?? 0;
      const to = processType.min + Math.floor(random() * (processType.max - processType.min + 1));
      // Decisions that did not reach Heroku are recorded too and must not count.
      const outcome: ScaleOutcome = random() < 0.1 ? (random() < 0.5 ? "dry_run" : "failed") : random() < 0.15 ? "manual" : "applied";
      if (outcome === "applied" || outcome === "manual") {
        const result = await callApi(sim.apiUrl, token, "PATCH", `/apps/${app.name}/formation`, { updates: [{ type: processType.type, quantity: to }] });
        expect(result.status).toBe(200);
        quantities.set(processType.type, to);
        changes += 1;
      }
      await db.scaleEvent.create({
        data: { tenantId: tenant.id, processType: processType.type, fromQuantity: from, toQuantity: to, reason: "simulated", outcome, occurredAt: new Date(clock.now()) },
      });
    }
    await clock.advance(MONTH_END_MS - clock.now());

    const bill = sim.appStats(app.name).usage;
    const savings = await getMonthlySavings(tenant.id, new Date(MONTH_START_MS), new Date(MONTH_END_MS + 86_400_000));

    expect(changes).toBeGreaterThan(100);
    expect(savings.fromMs).toBe(MONTH_START_MS);
    expect(savings.toMs).toBe(MONTH_END_MS);
    // Dyno time is the same measure on both sides: equal to the millisecond.
    const usedDynoSeconds = savings.processTypes.reduce((sum, line) => sum + line.usedDynoSeconds, 0);
    expect(usedDynoSeconds).toBeCloseTo(bill.dynoSeconds, 3);
    for (const line of savings.processTypes) {
      const billed = bill.bySize.find((entry) => entry.size === line.dynoSize);
      expect(line.usedDynoSeconds).toBeCloseTo(billed?.dynoSeconds ?? -1, 3);
    }
    // Dollars: Ebbflow prices a dyno at its monthly price over 720 hours; the simulator at its
    // rounded hourly list price. They must agree within 1 %.
    const difference = Math.abs(savings.usedDollars - bill.dollars) / bill.dollars;
    console.log(
      `simulated month: ${changes} formation changes, ${savings.usedDynoHours.toFixed(2)} dyno-hours; ` +
        `Ebbflow $${savings.usedDollars.toFixed(2)} vs simulated Heroku bill $${bill.dollars.toFixed(2)} ` +
        `(${(difference * 100).toFixed(3)} % apart); at max $${savings.atMaxDollars.toFixed(2)}, saved $${savings.savedDollars.toFixed(2)}`,
    );
    expect(difference).toBeLessThan(0.01);

    const hours = (MONTH_END_MS - MONTH_START_MS) / 3_600_000;
    const atMax = processTypes.reduce((sum, p) => sum + dynoDollars(p.size, p.max * hours * 3600), 0);
    expect(savings.atMaxDollars).toBeCloseTo(atMax, 6);
    expect(savings.savedDollars).toBeCloseTo(atMax - savings.usedDollars, 6);
    expect(savings.savedDollars).toBeGreaterThan(0);
  });
});
