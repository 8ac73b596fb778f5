import { NextResponse } from "next/server";
import { z } from "zod";
import { getSession } from "@/lib/auth/get-session";
import { startOAuthIntent } from "@/lib/auth/oauth-intent";
import { AppError } from "@/lib/errors";
import { handle } from "@/lib/http/handle";
import { readJson } from "@/lib/http/read-json";
import { appNameSchema } from "@/lib/tenants/connect-app";

export const dynamic = "force-dynamic";

const startSchema = z.object({ app: appNameSchema });

/** POST /connect/start `{app}`: begins "Connect an app"; answers the OAuth callback URL to use. */
export const POST = handle(async (request) => {
  if (!(await getSession())) throw new AppError("unauthorized", "Sign in with Heroku to connect an app");
  const { app } = await readJson(request, startSchema);
  const intent = startOAuthIntent("connect", app, `/connect/complete?app=${encodeURIComponent(app)}`);
  const response = NextResponse.json({ callbackUrl: intent.callbackUrl });
  response.cookies.set(intent.cookie.name, intent.cookie.value, intent.cookie.options);
  return response;
});
