import { NextResponse, type NextRequest } from "next/server";
import { signInWithSso } from "@/lib/auth/sign-in-with-sso";
import { claimSsoForm, ssoParamsSchema, verifySso } from "@/lib/auth/sso";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { describeZodError, handle } from "@/lib/http/handle";
import { setSessionCookie } from "@/lib/http/session-cookies";
import { webRedis } from "@/lib/redis/connection";

export const dynamic = "force-dynamic";

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

function fieldsOf(entries: Iterable<[string, FormDataEntryValue | string]>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of entries) if (typeof value === "string") fields[key] = value;
  return fields;
}

/** POST /heroku/sso: `heroku addons:open` posts a signed form here. */
export const POST = handle(async (request: NextRequest) => {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new AppError("bad_request", "Single sign-on expects a form post");
  }
  return signIn(fieldsOf(form.entries()));
});

/** GET /heroku/sso?…: the legacy query-string form of the same request. */
export const GET = handle(async (request: NextRequest) => signIn(fieldsOf(request.nextUrl.searchParams.entries())));
