import { getAccessToken, tokensExpiringSoon, TokenUnavailableError } from "@/lib/heroku/tokens";
import { defineJob } from "@/worker/job";

/** Refreshes tokens that expire within this window, ahead of the checks that need them. */
const LOOKAHEAD_MS = 30 * 60_000;

/** Upkeep: every few minutes, refresh every token close to expiry (one refresh per token). */
export const refreshTokensJob = defineJob("refresh-tokens", async (_payload, { log }) => {
  const due = await tokensExpiringSoon(LOOKAHEAD_MS);
  let refreshed = 0;
  let lost = 0;
  for (const { tenantId, kind } of due) {
    try {
      await getAccessToken(tenantId, kind, { force: true });
      refreshed += 1;
    } catch (error) {
      if (!(error instanceof TokenUnavailableError)) throw error;
      lost += 1;
    }
  }
  if (due.length > 0) log.info({ refreshed, lost }, "refreshed Heroku tokens");
  return { refreshed, lost };
});
