import Link from "next/link";
import { redirect } from "next/navigation";
import { Sparkline } from "@/app/components/charts/sparkline";
import { StatusBadge } from "@/app/components/status-badge";
import { getSession } from "@/lib/auth/get-session";
import { listAppSummaries } from "@/lib/dashboard/list-app-summaries";

export const dynamic = "force-dynamic";

export default async function AppsPage() {
  const session = await getSession();
  if (!session) redirect("/signin?callbackUrl=/apps");
  const apps = await listAppSummaries(session.sub);
  return (
    <main className="mx-auto flex max-w-5xl flex-col gap-6 px-6 py-10">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">Your apps</h1>
        <Link href="/connect" className="text-indigo-700 underline dark:text-indigo-300">
          Connect an app
        </Link>
      </div>
      {apps.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 p-6 dark:border-slate-700">
          <p className="font-medium">No apps yet.</p>
          <p className="text-slate-600 dark:text-slate-300">
            Add Ebbflow to an app with <code>heroku addons:create ebbflow -a your-app</code>, or{" "}
            <Link href="/connect" className="text-indigo-700 underline dark:text-indigo-300">
              connect one directly
            </Link>
            .
          </p>
        </div>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {apps.map((app) => {
            const total = app.dynos.reduce((sum, d) => sum + (d.quantity ?? 0), 0);
            return (
              <li key={app.id} data-testid="app-row" className="flex flex-col gap-3 px-4 py-4 sm:flex-row sm:items-center sm:justify-between">
                <div className="flex min-w-0 flex-col gap-1">
                  <div className="flex flex-wrap items-center gap-2">
                    <Link href={`/apps/${app.id}`} className="font-medium hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">
                      {app.appName}
                    </Link>
                    <span className="text-xs text-slate-600 dark:text-slate-400">{app.planTitle}</span>
                    <StatusBadge status={app.status} />
                  </div>
                  <p className="truncate text-sm text-slate-600 dark:text-slate-300" title={app.status.detail}>
                    {app.dynos.length === 0
                      ? "No process types set up yet"
                      : app.dynos.map((d) => `${d.processType}: ${d.quantity ?? "?"}`).join(" · ")}
                  </p>
                </div>
                <div className="flex items-center gap-3">
                  <Sparkline values={app.sparkline} label={`Total dynos over the last 24 hours, from ${app.sparkline[0] ?? 0} to ${total}`} />
                  <span className="w-16 text-right text-sm tabular-nums">
                    {total} dyno{total === 1 ? "" : "s"}
                  </span>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </main>
  );
}
