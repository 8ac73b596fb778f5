import { HerokuSignInButton } from "@/app/components/heroku-sign-in-button";
import { formatDollars } from "@/app/components/format";
import { getMonthlySavings, monthStartUtc } from "@/lib/billing/monthly-savings";
import { plans, isPlanName } from "@/lib/billing/plans";
import { loadOverview } from "@/lib/dashboard/load-overview";
import { requireTenantPage } from "@/lib/tenants/require-tenant-page";
import { hasScalingAuthorization } from "@/lib/tenants/scaling-authorization";
import { OverviewLive } from "./overview-live";
import { chooseOpeningRange } from "@/lib/dashboard/choose-opening-range";

export const dynamic = "force-dynamic";

export default async function AppOverviewPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const { tenant } = await requireTenantPage(tenantId, `/apps/${tenantId}`);
  const now = new Date();
  const range = await chooseOpeningRange(tenant.id, now);
  const [authorized, overview, savings] = await Promise.all([
    hasScalingAuthorization(tenant.id),
    loadOverview(tenant.id, range, now),
    getMonthlySavings(tenant.id, monthStartUtc(now), now),
  ]);
  const plan = isPlanName(tenant.plan) ? plans[tenant.plan] : null;

  return (
    <main className="mx-auto flex max-w-5xl flex-col gap-6 px-6 py-8">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-bold">{tenant.appName}</h1>
        <p className="text-slate-600 dark:text-slate-300">
          {plan ? `${plan.title} plan · checks every ${plan.checkIntervalSeconds} s` : tenant.plan}
          {tenant.state === "provisioning" ? " · connecting to Heroku…" : ""}
        </p>
      </header>

      {authorized ? (
        <p role="status" className="rounded-md bg-emerald-50 p-4 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
          Scaling is authorized: Ebbflow can change this app&apos;s formation.
        </p>
      ) : (
        <section
          aria-labelledby="authorize-heading"
          className="flex flex-col gap-3 rounded-md border border-amber-300 bg-amber-50 p-4 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
        >
          <h2 id="authorize-heading" className="font-semibold">
            Scaling is not authorized
          </h2>
          <p>
            Ebbflow records its checks and decisions but cannot change {tenant.appName}&apos;s dynos until someone who
            can manage the app authorizes it on Heroku.
          </p>
          <div>
            <HerokuSignInButton callbackUrl={`/apps/${tenant.id}/authorize/complete`} startUrl={`/apps/${tenant.id}/authorize/start`}>Authorize scaling</HerokuSignInButton>
          </div>
        </section>
      )}
      {tenant.lastError ? (
        <p role="alert" className="rounded-md bg-red-50 p-4 text-red-900 dark:bg-red-950 dark:text-red-200">
          {tenant.lastError}
        </p>
      ) : null}

      <section aria-labelledby="cost-heading" className="grid gap-4 sm:grid-cols-3">
        <h2 id="cost-heading" className="sr-only">
          Dyno cost this month
        </h2>
        <Figure label="Dyno cost this month" value={formatDollars(savings.usedDollars)} note={`${savings.usedDynoHours.toFixed(1)} dyno-hours so far`} />
        <Figure label="At max all month" value={formatDollars(savings.atMaxDollars)} note="every process type at its maximum, same period" />
        <Figure label="Saved" value={formatDollars(Math.max(0, savings.savedDollars))} note="Heroku's per-second list prices" />
      </section>

      <OverviewLive tenantId={tenant.id} initial={overview} />
    </main>
  );
}

function Figure({ label, value, note }: { label: string; value: string; note: string }) {
  return (
    <div className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <p className="text-sm text-slate-600 dark:text-slate-300">{label}</p>
      <p className="text-2xl font-semibold" data-testid={`figure-${label.toLowerCase().replaceAll(" ", "-")}`}>
        {value}
      </p>
      <p className="text-xs text-slate-600 dark:text-slate-400">{note}</p>
    </div>
  );
}
