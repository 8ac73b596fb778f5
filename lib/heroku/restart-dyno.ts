import { call, outcomeOf, type FormationOutcome, type HerokuTarget } from "@/lib/heroku/formation";

/**
 * Restarts one dyno (`DELETE /apps/{app}/dynos/{dyno}`): the way a quieted dyno takes work
 * again. Heroku answers 202 with an empty object; the new process boots under the same name.
 */
export function restartDyno(target: HerokuTarget, dynoName: string): Promise<FormationOutcome> {
  return outcomeOf(async () => {
    const started = Date.now();
    await call(target, "delete", `/apps/${encodeURIComponent(target.appRef)}/dynos/${encodeURIComponent(dynoName)}`);
    return { kind: "ok", quantities: {}, latencyMs: Date.now() - started, clamped: null };
  });
}
