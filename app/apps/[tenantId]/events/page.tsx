import Link from "next/link";
import { DecisionList } from "@/app/components/decision-list";
import { eventsQuerySchema, listEventProcessTypes, listScaleEvents } from "@/lib/dashboard/list-scale-events";
import { ScaleOutcome } from "@/lib/db/generated/enums";
import { requireTenantPage } from "@/lib/tenants/require-tenant-page";

export const dynamic = "force-dynamic";

const outcomeLabels: Record<string, string> = {
  problems: "Failed or not authorized",
  applied: "Applied",
  dry_run: "Dry run",
  not_authorized: "Not authorized",
  failed: "Failed",
  manual: "Changed on Heroku",
};

const selectClass =
  "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:bg-slate-900";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function EventsPage({ params, searchParams }: { params: Promise<{ tenantId: string }>; searchParams: SearchParams }) {
  const { tenantId } = await params;
  const { tenant } = await requireTenantPage(tenantId, `/apps/${tenantId}/events`);
  const raw = await searchParams;
  const parsed = eventsQuerySchema.safeParse({ processType: single(raw.processType), outcome: single(raw.outcome), before: single(raw.before) });
  const query = parsed.success ? parsed.data : {};
  const [{ events, nextBefore }, processTypes] = await Promise.all([listScaleEvents(tenant.id, query), listEventProcessTypes(tenant.id)]);
  const filterParams = new URLSearchParams();
  if (query.processType) filterParams.set("processType", query.processType);
  if (query.outcome) filterParams.set("outcome", query.outcome);
  const olderParams = new URLSearchParams(filterParams);
  if (nextBefore) olderParams.set("before", nextBefore);

  return (
    <main className="mx-auto flex max-w-5xl flex-col gap-6 px-6 py-8">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-bold">Events</h1>
        <p className="text-slate-600 dark:text-slate-300">Every change Ebbflow made or would have made, newest first, with the reason it gave.</p>
      </header>
      {tenant.lastError ? (
        <p role="alert" className="rounded-md bg-red-50 p-4 text-sm text-red-900 dark:bg-red-950 dark:text-red-200">
          Latest check problem: {tenant.lastError}
        </p>
      ) : null}
      {!parsed.success ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          The filter in the address was not understood, so all events are shown.
        </p>
      ) : null}
      <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filter events">
        <div className="flex flex-col gap-1">
          <label htmlFor="filter-process" className="text-sm font-medium">
            Process type
          </label>
          <select id="filter-process" name="processType" defaultValue={query.processType ?? ""} className={selectClass}>
            <option value="">All</option>
            {processTypes.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="filter-outcome" className="text-sm font-medium">
            Outcome
          </label>
          <select id="filter-outcome" name="outcome" defaultValue={query.outcome ?? ""} className={selectClass}>
            <option value="">All</option>
            {["problems", ...Object.values(ScaleOutcome)].map((outcome) => (
              <option key={outcome} value={outcome}>
                {outcomeLabels[outcome] ?? outcome}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">
          Filter
        </button>
      </form>
      <DecisionList
        decisions={events}
        empty={query.processType || query.outcome || query.before ? "No events match this filter." : "No events yet: Ebbflow records one each time it changes (or would change) the formation."}
      />
      <nav aria-label="Pages" className="flex gap-4 text-sm">
        {query.before ? (
          <Link href={`/apps/${tenant.id}/events${filterParams.size ? `?${filterParams}` : ""}`} className="text-indigo-700 underline dark:text-indigo-300">
            Newest
          </Link>
        ) : null}
        {nextBefore ? (
          <Link href={`/apps/${tenant.id}/events?${olderParams}`} className="text-indigo-700 underline dark:text-indigo-300" rel="next">
            Older events
          </Link>
        ) : null}
      </nav>
    </main>
  );
}
