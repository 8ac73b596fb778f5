import { cookies } from "next/headers";
import { HerokuHeader } from "@/app/components/heroku-header";
import { HerokuSignInButton } from "@/app/components/heroku-sign-in-button";
import { plans, isPlanName } from "@/lib/billing/plans";
import { requireTenantPage } from "@/lib/tenants/require-tenant-page";
import { hasScalingAuthorization } from "@/lib/tenants/scaling-authorization";

export const dynamic = "force-dynamic";

export default async function AppOverviewPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const { session, tenant } = await requireTenantPage(tenantId, `/apps/${tenantId}`);
  const authorized = await hasScalingAuthorization(tenant.id);
  const fromHeroku = session.via === "sso" || (await cookies()).has("heroku-nav-data");
  const plan = isPlanName(tenant.plan) ? plans[tenant.plan] : null;

  return (
    <>
      {fromHeroku ? <HerokuHeader appName={tenant.appName} /> : null}
      <main className="mx-auto flex max-w-4xl flex-col gap-6 px-6 py-10">
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
              <HerokuSignInButton callbackUrl={`/apps/${tenant.id}/authorize/complete`}>Authorize scaling</HerokuSignInButton>
            </div>
          </section>
        )}
        {tenant.lastError ? (
          <p role="alert" className="rounded-md bg-red-50 p-4 text-red-900 dark:bg-red-950 dark:text-red-200">
            {tenant.lastError}
          </p>
        ) : null}
      </main>
    </>
  );
}
