import Link from "next/link";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { BillingBanner } from "@/app/components/billing-banner";
import { HerokuHeader } from "@/app/components/heroku-header";
import { getBillingNotice } from "@/lib/billing/get-billing-notice";
import { requireTenantPage } from "@/lib/tenants/require-tenant-page";
import { AppNav } from "./app-nav";

/**
 * Every page of one app: the Heroku header when the session came from `heroku addons:open`,
 * the app's name and its sections. Guarded like the pages it wraps, and outside every loading
 * boundary: a guard inside one would stream, and its 404 or sign-in redirect would go out as 200.
 */
export default async function AppLayout({ children, params }: { children: ReactNode; params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const { session, tenant } = await requireTenantPage(tenantId, `/apps/${tenantId}`);
  const fromHeroku = session.via === "sso" || (await cookies()).has("heroku-nav-data");
  const billing = await getBillingNotice(tenant.id);
  return (
    <>
      {fromHeroku ? <HerokuHeader appName={tenant.appName} /> : null}
      <div className="mx-auto flex max-w-5xl items-center justify-between px-6 pt-6">
        <Link href="/apps" className="flex items-center gap-2 text-sm text-indigo-700 underline dark:text-indigo-300">
          <img src="/logo.svg" alt="" width={20} height={20} />
          All apps
        </Link>
        <span className="text-sm text-slate-600 dark:text-slate-400">{tenant.appName}</span>
      </div>
      <AppNav tenantId={tenant.id} />
      {billing ? (
        <div className="mx-auto max-w-5xl px-6 pt-4">
          <BillingBanner notice={billing} />
        </div>
      ) : null}
      {children}
    </>
  );
}
