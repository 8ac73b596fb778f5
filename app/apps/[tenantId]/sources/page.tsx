import { loadAppSetup } from "@/lib/dashboard/load-app-setup";
import { listAgentReports } from "@/lib/dashboard/list-agent-reports";
import { listSourceSummaries } from "@/lib/dashboard/list-source-summaries";
import { setupSnippets } from "@/lib/dashboard/setup-snippets";
import { STALE_AFTER_INTERVALS } from "@/lib/queues/push";
import { requireTenantPage } from "@/lib/tenants/require-tenant-page";
import { AgentReportsPanel } from "./agent-reports";
import { AgentTokenPanel } from "./agent-token-panel";
import { SourceEditor } from "./source-editor";

export const dynamic = "force-dynamic";

export default async function SourcesPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const { tenant } = await requireTenantPage(tenantId, `/apps/${tenantId}/sources`);
  const [setup, stored] = await Promise.all([loadAppSetup(tenant.id), listSourceSummaries(tenant.id)]);
  const names = setup.processTypes.length > 0 ? setup.processTypes.map((p) => p.processType) : ["worker"];
  const agentReports = await listAgentReports(tenant.id, names);
  const snippetsFor = names[0] ?? "worker";

  return (
    <main className="mx-auto flex max-w-5xl flex-col gap-6 px-6 py-8">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-bold">Queue sources</h1>
        <p className="text-slate-600 dark:text-slate-300">
          Where each process type&apos;s queue numbers come from. A probe reads your queue store directly (read-only, with short
          timeouts); push mode takes reports from an agent in your app. Test a connection before saving it.
        </p>
      </header>
      {names.map((processType) => {
        const source = stored.sources.find((s) => s.processType === processType);
        const web = setup.processTypes.find((p) => p.processType === processType)?.rule?.kind === "web";
        if (web && !source) {
          // Web rules read request queue time from the agents' web middleware: no queue source.
          return (
            <section key={processType} aria-label={`${processType} source`} className="flex flex-col gap-1 rounded-lg border border-slate-200 p-5 dark:border-slate-800" data-testid={`web-source-${processType}`}>
              <h2 className="text-lg font-semibold">{processType}</h2>
              <p className="text-sm text-slate-700 dark:text-slate-300">
                Scales on request queue time, which the agent&apos;s web middleware in each dyno reports with the app&apos;s agent token (below): add
                the agent for your language (Express, Fastify, Next.js; Django, Flask, FastAPI; Rails, Sinatra). No queue source is needed.
              </p>
            </section>
          );
        }
        return (
          <SourceEditor
            key={processType}
            tenantId={tenant.id}
            processType={processType}
            mode={source?.mode ?? null}
            summary={source?.summary ?? null}
            problem={source?.problem ?? null}
            quiet={source?.quiet ?? false}
          />
        );
      })}
      <p className="text-sm text-slate-600 dark:text-slate-300">Another process type? Add its rules on the Rules page and its connection appears here.</p>
      <AgentTokenPanel tenantId={tenant.id} hasToken={stored.hasAgentToken} channel={stored.channel} appName={tenant.appName} />
      <AgentReportsPanel reports={agentReports} staleAfterSeconds={STALE_AFTER_INTERVALS * setup.plan.checkIntervalSeconds} />
      <section aria-labelledby="snippets-heading" className="flex flex-col gap-3">
        <h2 id="snippets-heading" className="text-lg font-semibold">
          Setup by job library
        </h2>
        {setupSnippets(snippetsFor).map((snippet) => (
          <details key={snippet.library} className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
            <summary className="cursor-pointer font-medium">{snippet.library}</summary>
            <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">{snippet.probe}</p>
            <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
              Push agent: <code>{snippet.agentFile}</code>
            </p>
            <pre className="mt-2 overflow-x-auto rounded-md bg-slate-100 p-3 text-xs dark:bg-slate-900">
              <code>{snippet.agent}</code>
            </pre>
          </details>
        ))}
      </section>
    </main>
  );
}
