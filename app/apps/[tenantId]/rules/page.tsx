import { dynoSizeNames } from "@/lib/dashboard/save-process-rule";
import { loadAppSetup } from "@/lib/dashboard/load-app-setup";
import { defaultRule } from "@/lib/dashboard/rule-record";
import { ruleToFormValues, scheduleToDraft } from "@/lib/dashboard/rule-form";
import { requireTenantPage } from "@/lib/tenants/require-tenant-page";
import { RulesBoard } from "./rules-board";

export const dynamic = "force-dynamic";

export default async function RulesPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const { tenant } = await requireTenantPage(tenantId, `/apps/${tenantId}/rules`);
  const setup = await loadAppSetup(tenant.id);
  const editors = setup.processTypes.map((p) => {
    const rule = p.rule ?? defaultRule(p.processType);
    return {
      processType: p.processType,
      isNew: p.rule === null,
      initialValues: ruleToFormValues(rule),
      initialSchedules: rule.schedules.map(scheduleToDraft),
      initialEnabled: p.rule ? p.enabled : true,
      initialDynoSize: p.dynoSize ?? "",
      storedProblem: p.ruleProblem,
    };
  });
  const limit = setup.plan.maxProcessTypes;
  return (
    <main className="mx-auto flex max-w-5xl flex-col gap-6 px-6 py-8">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-bold">Rules</h1>
        <p className="text-slate-600 dark:text-slate-300">
          How Ebbflow sizes each process type. Defaults follow what the policy benchmark measured best; most apps only set the
          minimum, the maximum and how many jobs one dyno runs at once. Preview any change on the last 24 hours before saving it.
        </p>
      </header>
      <RulesBoard
        shared={{ tenantId: tenant.id, dynoSizes: dynoSizeNames, schedulesAllowed: setup.plan.features.schedules }}
        editors={editors}
        limitNote={limit === null ? null : `The ${setup.plan.title} plan autoscales up to ${limit} process type${limit === 1 ? "" : "s"}.`}
      />
    </main>
  );
}
