import { recordAudit } from "@/lib/audit/record-audit";
import { randomToken, seal, sha256Hex } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import { getAccessToken } from "@/lib/heroku/tokens";
import { platformClient } from "@/lib/heroku/platform";
import { log } from "@/lib/log";
import { ebbflowUrl } from "@/lib/tenants/provision-tenant";

export interface RotatedAgentToken {
  /** The new EBBFLOW_URL, with the token as its password: shown once. */
  ebbflowUrl: string;
  token: string;
  /** True when Heroku already has the new EBBFLOW_URL (add-on apps); false means set it by hand. */
  configUpdated: boolean;
}

/**
 * Replaces the push agent's token: its sha256 (what a report is looked up by) and the sealed
 * token (what a repeated provision answers with). The old token stops working at once. For an
 * add-on app, Ebbflow sets the new EBBFLOW_URL on the app with its own add-on token; otherwise,
 * or if Heroku refuses, the customer sets it with `heroku config:set`.
 */
export async function rotateAgentToken(tenantId: string, actor: string): Promise<RotatedAgentToken> {
  const token = randomToken("ebb");
  const tenant = await db.tenant.update({
    where: { id: tenantId },
    data: { agentTokenHash: sha256Hex(token), agentTokenSealed: seal(token).value },
    select: { channel: true, herokuResourceId: true },
  });
  await recordAudit({ tenantId, actor, action: "token.granted", details: { kind: "agent", via: "rotate" } });
  const url = ebbflowUrl(token);
  let configUpdated = false;
  if (tenant.channel === "heroku" && tenant.herokuResourceId) {
    try {
      const addonToken = await getAccessToken(tenantId, "addon");
      await platformClient(addonToken).patch(`/addons/${tenant.herokuResourceId}/config`, {
        body: { config: [{ name: "EBBFLOW_URL", value: url }] },
      });
      configUpdated = true;
    } catch (error) {
      log.warn({ err: error, tenantId }, "could not set the rotated EBBFLOW_URL on Heroku");
    }
  }
  return { ebbflowUrl: url, token, configUpdated };
}
