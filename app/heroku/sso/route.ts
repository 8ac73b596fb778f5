import { NextResponse, type NextRequest } from "next/server";
import { signInWithSso } from "@/lib/auth/sign-in-with-sso";
import { claimSsoForm, ssoParamsSchema, verifySso } from "@/lib/auth/sso";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { clientIp } from "@/lib/http/client-ip";
import { describeZodError, handle } from "@/lib/http/handle";
import { readForm } from "@/lib/http/read-form";
import { setSessionCookie } from "@/lib/http/session-cookies";
import { limitRate, type RateLimit } from "@/lib/redis/limit-rate";
import { webRedis } from "@/lib/redis/connection";

export const dynamic = "force-dynamic";

/** Failed sign-ins one address may make before it must wait: guessing tokens stays hopeless. */
const failedSignIns = (ip: string): RateLimit => ({ key: `sso-failures:${ip}`, limit: 20, windowSeconds: 600, what: "failed sign-ins" });

async function signIn(fields: Record<string, string>): Promise<Response> {
  const parsed = ssoParamsSchema.safeParse(fields);
  if (!parsed.success) throw new AppError("forbidden", `Single sign-on request is malformed: ${describeZodError(parsed.error)}`);
  const sso = verifySso(parsed.data);
  if (!(await claimSsoForm(webRedis(), sso))) {
    throw new AppError("forbidden", "Single sign-on link was already used; open the add-on again from Heroku");
  }
  const claims = await signInWithSso(sso);
  const response = NextResponse.redirect(new URL(`/apps/${claims.ssoTenantId}`, env().APP_URL), 303);
  await setSessionCookie(response, claims);
  if (sso.navData) response.cookies.set("heroku-nav-data", sso.navData, { path: "/", sameSite: "lax" });
  return response;
}

/**
 * POST /heroku/sso: `heroku addons:open` posts a signed form here (a cross-site post by
 * design, so it is exempt from the Origin check; the token is what proves it). An address
 * with 20 failed sign-ins in 10 minutes is answered 429 until the window ends.
 */
export const POST = handle(async (request: NextRequest) => {
  const rate = failedSignIns(clientIp(request));
  await limitRate(webRedis(), rate, "check");
  try {
    return await signIn(await readForm(request));
  } catch (error) {
    await limitRate(webRedis(), rate, "take").catch((limited: unknown) => {
      if (!(limited instanceof AppError && limited.code === "rate_limited")) throw limited;
    });
    throw error;
  }
});

/**
 * GET /heroku/sso: the legacy query-string form is refused. Signing in on a GET lets any page
 * sign a visitor in to someone else's account (login CSRF) with a link or an image. Under
 * version 3 of the Add-on Partner API (Ebbflow's manifest) Heroku posts the form; the GET belongs
 * to legacy v1 integrations.
 */
export const GET = handle(async () => {
  throw new AppError("bad_request", "Single sign-on must be a form post; open the add-on again from Heroku");
});
