import { agentInstalls, type AgentReports } from "@/lib/dashboard/list-agent-reports";

/** The agents' one-line installs, and which dynos' agents are reporting (server-rendered). */
export function AgentReportsPanel({ reports, staleAfterSeconds }: { reports: AgentReports[]; staleAfterSeconds: number }) {
  const reporting = reports.filter((r) => r.dynos.length > 0);
  return (
    <section aria-labelledby="agents-heading" className="flex flex-col gap-3 rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <h2 id="agents-heading" className="text-lg font-semibold">
        Agents
      </h2>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Add the agent for your app&apos;s language with one line; it reads <code>EBBFLOW_URL</code>, which the add-on sets, reports every 10 s from every
        dyno, and quiets a dyno&apos;s workers before Ebbflow removes it.
      </p>
      <ul className="flex flex-col gap-1 text-sm">
        {agentInstalls.map((agent) => (
          <li key={agent.language}>
            {agent.language}: <code className="rounded bg-slate-100 px-1 dark:bg-slate-900">{agent.install}</code>
          </li>
        ))}
      </ul>
      {reporting.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No agent has reported its dynos yet.</p>
      ) : (
        <table className="text-sm">
          <caption className="sr-only">Dynos whose agent reported</caption>
          <thead>
            <tr className="text-left">
              <th className="pr-4">Dyno</th>
              <th className="pr-4">Last report</th>
              <th className="pr-4">Running jobs</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {reporting.flatMap((report) =>
              report.dynos.map((dyno) => (
                <tr key={dyno.name}>
                  <td className="pr-4 font-mono">{dyno.name}</td>
                  <td className="pr-4">{dyno.ageSeconds > staleAfterSeconds ? `${dyno.ageSeconds} s ago (not arriving)` : `${dyno.ageSeconds} s ago`}</td>
                  <td className="pr-4">{dyno.busy}</td>
                  <td>{dyno.quiet ? "quiet" : "taking work"}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
