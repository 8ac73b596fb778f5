import Link from "next/link";
import { getBillingSummary } from "@/lib/billing/get-billing-summary";
import { listOwnerInvoices, type InvoiceLine } from "@/lib/billing/list-owner-invoices";
import { getMonthlySavings, monthStartUtc } from "@/lib/billing/monthly-savings";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { TenantAccess } from "@/lib/tenants/tenant-access";
import { requireTenantPage } from "@/lib/tenants/require-tenant-page";
import { formatDollars } from "./format";
import { InvoiceList } from "./invoice-list";
import { PlanPicker } from "./plan-picker";
import { SavingsTable } from "./savings-table";

export const dynamic = "force-dynamic";

/** Invoices come from Stripe: when it cannot answer, the page still shows everything else. */
async function invoicesOrProblem(access: TenantAccess): Promise<{ invoices: InvoiceLine[]; problem: string | null }> {
  try {
    return { invoices: await listOwnerInvoices(access), problem: null };
  } catch (error) {
    if (isAppError(error) && error.code === "unavailable") return { invoices: [], problem: error.message };
    log.warn({ err: error, tenantId: access.tenant.id }, "could not list Stripe invoices");
    return { invoices: [], problem: "Invoices could not be loaded right now." };
  }
}

export default async function BillingPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const access = await requireTenantPage(tenantId, `/apps/${tenantId}/billing`);
  const { tenant } = access;
  const summary = await getBillingSummary(access);
  const now = new Date();
  const thisMonth = monthStartUtc(now);
  const lastMonth = monthStartUtc(new Date(thisMonth.getTime() - 1));
  const [current, previous] = await Promise.all([
    getMonthlySavings(tenant.id, thisMonth, now),
    getMonthlySavings(tenant.id, lastMonth, now),
  ]);
  const billedDirectly = summary.channel === "direct";
  const { invoices, problem } = billedDirectly && summary.isOwner ? await invoicesOrProblem(access) : { invoices: [], problem: null };

  return (
    <main className="mx-auto flex max-w-4xl flex-col gap-8 px-6 py-10">
      <header className="flex flex-col gap-1">
        <Link href={`/apps/${tenant.id}`} className="text-sm text-indigo-600 underline dark:text-indigo-400">
          {tenant.appName}
        </Link>
        <h1 className="text-2xl font-bold">Billing</h1>
      </header>


      <section aria-labelledby="plan-heading" className="flex flex-col gap-3">
        <h2 id="plan-heading" className="text-lg font-semibold">
          Plan
        </h2>
        {billedDirectly ? (
          <>
            <p>
              {summary.plan.title} plan
              {summary.plan.monthlyPriceCents > 0 ? `, ${formatDollars(summary.plan.monthlyPriceCents / 100)} a month, billed by Ebbflow through Stripe` : ", free"}
              {summary.status ? ` · payments: ${summary.status.replace("_", " ")}` : ""}.
            </p>
            {summary.isOwner ? (
              <>
                <PlanPicker tenantId={tenant.id} current={summary.plan.name} />
                <form method="post" action={`/apps/${tenant.id}/billing/portal`}>
                  <button type="submit" className="text-indigo-600 underline dark:text-indigo-400">
                    Manage card and invoices in the billing portal
                  </button>
                </form>
              </>
            ) : (
              <p className="text-slate-600 dark:text-slate-300">The app&apos;s owner in Ebbflow manages its billing.</p>
            )}
          </>
        ) : (
          <p>
            {summary.plan.title} plan, {formatDollars(summary.plan.monthlyPriceCents / 100)} a month, billed by Heroku on your Heroku
            invoice. Change it with{" "}
            <code>
              heroku addons:upgrade {env().HEROKU_ADDON_ID}:&lt;plan&gt; -a {tenant.appName}
            </code>
            .
          </p>
        )}
      </section>

      {summary.notices.length > 0 ? (
        <section aria-labelledby="notices-heading" className="flex flex-col gap-2">
          <h2 id="notices-heading" className="text-lg font-semibold">
            Billing notices
          </h2>
          <ul className="flex flex-col gap-1 text-sm">
            {summary.notices.map((notice) => (
              <li key={`${notice.action}-${notice.occurredAt.toISOString()}`}>
                <span className="text-slate-500 dark:text-slate-400">{notice.occurredAt.toISOString().slice(0, 16).replace("T", " ")}</span>{" "}
                {notice.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="savings-heading" className="flex flex-col gap-4">
        <h2 id="savings-heading" className="text-lg font-semibold">
          Dyno costs and savings
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          What the formation cost at Heroku&apos;s per-second dyno prices, against running every process type at its maximum
          for the same time.
        </p>
        <SavingsTable savings={current} month={thisMonth} />
        <SavingsTable savings={previous} month={lastMonth} />
      </section>

      {billedDirectly && summary.isOwner ? (
        <section aria-labelledby="invoices-heading" className="flex flex-col gap-2">
          <h2 id="invoices-heading" className="text-lg font-semibold">
            Invoices
          </h2>
          {problem ? <p className="text-slate-600 dark:text-slate-300">{problem}</p> : <InvoiceList invoices={invoices} />}
        </section>
      ) : null}
    </main>
  );
}
