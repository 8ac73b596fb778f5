import { AppError } from "@/lib/errors";
import { takeAuthorization } from "@/lib/auth/pending-authorization";
import { appInfoSchema, platformClient, statusOf } from "@/lib/heroku/platform";
import { saveToken } from "@/lib/heroku/tokens";
import type { TenantAccess } from "@/lib/tenants/tenant-access";

/**
 * Gives the tenant the Heroku authorization that just came back from "Authorize scaling",
 * after checking with Heroku that it really reaches this app.
 */
export async function completeScalingAuthorization({ session, tenant }: TenantAccess): Promise<void> {
  const authorization = await takeAuthorization(session.sub);
  if (!authorization) {
    throw new AppError("bad_request", "No Heroku authorization is waiting; click “Authorize scaling” again.");
  }
  if (!authorization.scope?.split(/[\s,]+/).some((scope) => scope === "write" || scope === "global")) {
    throw new AppError("forbidden", "Heroku granted no write access; Ebbflow needs it to change the formation.");
  }
  const appRef = tenant.herokuAppId ?? tenant.appName;
  try {
    appInfoSchema.parse(await platformClient(authorization.access_token).get(`/apps/${encodeURIComponent(appRef)}`));
  } catch (error) {
    const status = statusOf(error);
    if (status === 403 || status === 404) {
      throw new AppError("forbidden", `This Heroku account cannot reach ${tenant.appName}; sign in as one of its collaborators.`);
    }
    throw error;
  }
  await saveToken(tenant.id, "scaling", authorization, session.email);
}
