import { mkdirSync } from "node:fs";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { provisionAddon, signInWithSso } from "./support/heroku";

const databaseUrl = process.env.E2E_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ebbflow_test";
const screenshots = "test-results/screenshots";

const CHECK_SECONDS = 10;
const JOB_SECONDS = 20;
const SLOTS = 10; // two recorded dynos of five jobs each

/**
 * Seven days of a known workload as Ebbflow keeps it: a burst of 40 jobs of 20 s every 15
 * minutes onto two dynos of five slots, recorded every 10 s, and stored as retention leaves it
 * (raw checks for the last 2 hours, per-minute maxima back to 2 days, hourly maxima before).
 */
function sevenDaysOfSamples(tenantId: string, nowMs: number): unknown[][] {
  const rows: unknown[][] = [];
  const fromMs = Math.floor((nowMs - 7 * 86_400_000) / 3600_000) * 3600_000;
  const rawFromMs = nowMs - 2 * 3600_000 + 5 * 60_000;
  const minuteFromMs = Math.floor((nowMs - 2 * 86_400_000) / 3600_000) * 3600_000 + 3600_000;
  const rolled = new Map<string, { resolution: string; atMs: number; depth: number; busy: number }>();
  let depth = 0;
  let busy = 0;
  for (let atMs = fromMs; atMs < nowMs - 60_000; atMs += CHECK_SECONDS * 1000) {
    const arrived = atMs % (15 * 60_000) === 0 ? 40 : 0;
    const n = depth + busy - (busy * CHECK_SECONDS) / JOB_SECONDS + arrived;
    busy = Math.min(SLOTS, n);
    depth = n - busy;
    const sample = { depth: Math.round(depth), busy: Math.round(busy) };
    if (atMs >= rawFromMs) {
      rows.push([tenantId, "raw", new Date(atMs), sample.depth, sample.busy, 2]);
      continue;
    }
    const resolution = atMs >= minuteFromMs ? "minute" : "hour";
    const unit = resolution === "minute" ? 60_000 : 3600_000;
    const bucketMs = Math.floor(atMs / unit) * unit;
    const key = `${resolution}:${bucketMs}`;
    const bucket = rolled.get(key) ?? { resolution, atMs: bucketMs, depth: 0, busy: 0 };
    bucket.depth = Math.max(bucket.depth, sample.depth);
    bucket.busy = Math.max(bucket.busy, sample.busy);
    rolled.set(key, bucket);
  }
  for (const bucket of rolled.values()) rows.push([tenantId, bucket.resolution, new Date(bucket.atMs), bucket.depth, bucket.busy, 2]);
  return rows;
}

async function withDb<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function insertSamples(rows: unknown[][]): Promise<void> {
  await withDb(async (client) => {
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      const values = chunk.map((_, j) => `($${j * 6 + 1}::uuid, 'worker', $${j * 6 + 2}::"SampleResolution", $${j * 6 + 3}, $${j * 6 + 4}, $${j * 6 + 5}, $${j * 6 + 6})`);
      await client.query(`INSERT INTO metric_samples (tenant_id, process_type, resolution, sampled_at, depth, busy, dynos) VALUES ${values.join(", ")}`, chunk.flat());
    }
  });
}

/**
 * Tune from history, end to end: an add-on on the Standard plan (10 s checks) with seven days
 * of recorded samples for `worker`, signed in with SSO. On the Rules page, rules that keep dynos
 * long and add them late are tuned: the proposal shows the predicted monthly cost and p95 wait
 * beside the current rules' and meets the wait target; applying it saves it (the form and the
 * stored rule agree) and the preview shows the predicted cost. Another tenant's id gets 404.
 */
test("Rules → propose from 7 days of history → apply → saved, preview shows the predicted cost", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  if (!baseURL) throw new Error("no baseURL");
  const context = await browser.newContext();
  const page = await context.newPage();
  const addon = await provisionAddon(context.request, "standard");
  const tenantId = await signInWithSso(context, addon.resourceId, `tune-${Date.now()}@example.com`);
  const rows = sevenDaysOfSamples(tenantId, Date.now());
  await insertSamples(rows);

  // A process type with samples but no rules yet: start its rules from the defaults.
  await page.goto(`/apps/${tenantId}/rules`);
  await page.getByLabel("Add rules for a process type").fill("worker");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  const rule = page.getByTestId("rule-worker");
  await rule.getByLabel("Maximum dynos").fill("4");
  await rule.getByLabel("Jobs per dyno at once").fill("5");
  await rule.getByLabel("Typical job time").fill(String(JOB_SECONDS));
  await rule.getByLabel("p95 wait target").fill("60");
  await rule.getByLabel("Upscale latency").fill("60");
  await rule.getByLabel("Downscale delay").fill("900");
  await rule.getByLabel("Idle before zero").fill("900");

  const tune = rule.getByTestId("tune");
  const began = Date.now();
  await tune.getByRole("button", { name: "Propose from history" }).click();
  await expect(tune.getByTestId("tune-proposed-cost")).toContainText("$", { timeout: 30_000 });
  const tookMs = Date.now() - began;
  await expect(tune.getByTestId("tune-current-cost")).toContainText("$");
  await expect(tune.getByTestId("tune-proposed-wait")).toContainText(" s");
  await expect(tune.getByTestId("tune-history")).toContainText("per-check samples");
  await expect(tune.getByTestId("tune-history")).toContainText("per-minute roll-ups");
  await expect(tune.getByTestId("tune-history")).toContainText("hourly roll-ups were not used");
  await expect(tune.getByTestId("tune-history")).toContainText("the rule's typical job time");
  await expect(tune.getByTestId("tune-unmet")).toHaveCount(0);
  await expect(tune.getByTestId("tune-changes")).toContainText("Downscale delay: 900 s");
  const proposedCost = (await tune.getByTestId("tune-proposed-cost").textContent())?.trim() ?? "";
  const currentCost = Number((await tune.getByTestId("tune-current-cost").textContent())?.replace(/[$,]/g, ""));
  expect(Number(proposedCost.replace(/[$,]/g, ""))).toBeLessThan(currentCost);
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: `${screenshots}/tune-proposal.png`, fullPage: true });
  console.log(`tune: ${rows.length} stored samples, proposal shown ${tookMs} ms after the click`);

  await tune.getByRole("button", { name: "Apply proposal and save" }).click();
  await expect(rule.getByText("Proposal applied and saved.")).toBeVisible({ timeout: 20_000 });
  const delay = await rule.getByLabel("Downscale delay").inputValue();
  expect(delay).not.toBe("900");
  await expect(rule.getByTestId("preview-predicted")).toContainText(proposedCost, { timeout: 30_000 });
  await expect(rule.getByTestId("preview")).toContainText("Replayed");
  await page.screenshot({ path: `${screenshots}/tune-applied.png`, fullPage: true });

  // The stored rule is the proposal the form shows.
  const stored = await withDb(async (client) => {
    const result = await client.query<{ max_dynos: number; settings: { downscale: { delaySeconds: number }; waitTargetSeconds: number; jobSeconds: number } }>(
      "SELECT max_dynos, settings FROM process_rules WHERE tenant_id = $1 AND process_type = 'worker'",
      [tenantId],
    );
    return result.rows[0];
  });
  expect(stored?.max_dynos).toBe(4);
  expect(String(stored?.settings.downscale.delaySeconds)).toBe(delay);
  expect(stored?.settings.waitTargetSeconds).toBe(60);
  expect(stored?.settings.jobSeconds).toBe(JOB_SECONDS);

  // After a reload the form reads the stored rule back.
  await page.reload();
  await expect(page.getByTestId("rule-worker").getByLabel("Downscale delay")).toHaveValue(delay);

  // Another tenant's member cannot tune this app.
  const other = await browser.newContext();
  const intruder = await provisionAddon(other.request, "standard");
  await signInWithSso(other, intruder.resourceId, `intruder-${Date.now()}@example.com`);
  const refused = await other.request.post(`/apps/${tenantId}/rules/tune`, { data: { rule: { processType: "worker" } } });
  expect(refused.status()).toBe(404);
  await other.close();
  await context.close();
});
