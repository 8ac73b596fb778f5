import { NextResponse } from "next/server";
import { getSession } from "@/lib/auth/get-session";
import { checkOAuthIntent, OAUTH_INTENT_COOKIE } from "@/lib/auth/oauth-intent";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { handle } from "@/lib/http/handle";
import { appNameSchema, connectApp } from "@/lib/tenants/connect-app";

export const dynamic = "force-dynamic";

/**
 * Where "Connect an app" lands after Heroku: the app becomes a directly billed tenant, only when
 * this browser started the round trip for this app (403 otherwise).
 */
export const GET = handle(async (request) => {
  const session = await getSession();
  if (!session) throw new AppError("unauthorized", "Sign in with Heroku to connect an app");
  const appName = appNameSchema.safeParse(request.nextUrl.searchParams.get("app") ?? "");
  if (!appName.success) throw new AppError("invalid_params", "app must be a Heroku app name");
  checkOAuthIntent(request.cookies, request.nextUrl.searchParams.get("intent"), "connect", appName.data);
  const { tenantId } = await connectApp(session, appName.data);
  const response = NextResponse.redirect(new URL(`/apps/${tenantId}?authorized=1`, env().APP_URL), 303);
  response.cookies.delete(OAUTH_INTENT_COOKIE);
  return response;
});
