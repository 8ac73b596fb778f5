import { chromium } from "@playwright/test";

export interface SmokeResult {
  /** From the link being printed to the dashboard showing the app. */
  signedInMs: number;
  /** From the link being printed to a scale-up showing in the dashboard's decisions. */
  scaleUpMs: number;
  /** The decision as the dashboard shows it, e.g. "worker 0 → 1". */
  decision: string;
}

/**
 * `npm run demo -- --smoke`: what a new user does after the demo prints its link. Debian's
 * Chromium opens the single-sign-on link, lands on the app's overview (which must open on the
 * live 15-minute range, the app being new) and waits until the latest decisions show the
 * `worker` process type scaling up from the simulated Heroku's dynos.
 */
export async function runSmoke(options: { signInUrl: string; timeoutMs: number; say: (line: string) => void }): Promise<SmokeResult> {
  const startedMs = Date.now();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    await page.goto(options.signInUrl);
    await page.waitForURL(/\/apps\/[0-9a-f-]{36}/, { timeout: 30_000 });
    await page.getByRole("heading", { name: "Latest decisions" }).waitFor({ timeout: 30_000 });
    const signedInMs = Date.now() - startedMs;
    options.say(`smoke: signed in through the link (${page.url().replace(/\?.*$/, "")})`);
    const live = await page.getByRole("button", { name: "Show the last 15 minutes" }).getAttribute("aria-pressed");
    if (live !== "true") throw new Error("smoke: a new app's overview did not open on the 15-minute range");

    const scaleUp = page.getByTestId("decision").filter({ hasText: /worker \d+ → \d+/ }).filter({ hasText: "applied" });
    const remaining = Math.max(1000, options.timeoutMs - (Date.now() - startedMs));
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="decision"]')].some((item) => {
          const text = item.textContent ?? "";
          const match = /worker (\d+) → (\d+)/.exec(text);
          return match !== null && Number(match[2]) > Number(match[1]) && text.includes("applied");
        }),
      undefined,
      { timeout: remaining, polling: 500 },
    ).catch(async (error: unknown) => {
      const shown = await page.getByTestId("decision").allTextContents();
      throw new Error(`smoke: no scale-up on the dashboard within ${options.timeoutMs / 1000} s of the link (decisions shown: ${JSON.stringify(shown)}): ${String(error)}`);
    });
    const scaleUpMs = Date.now() - startedMs;
    const decision = ((await scaleUp.first().textContent({ timeout: 2000 }).catch(() => null)) ?? (await page.getByTestId("decision").first().textContent()) ?? "").replace(/\s+/g, " ").trim();
    return { signedInMs, scaleUpMs, decision: decision.match(/worker \d+ → \d+/)?.[0] ?? decision };
  } finally {
    await browser.close();
  }
}
