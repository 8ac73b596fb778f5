import { NextResponse } from "next/server";
import { requireHerokuBasicAuth } from "@/lib/auth/heroku-basic-auth";
import { handle } from "@/lib/http/handle";
import { readJson } from "@/lib/http/read-json";
import { provisionRequestSchema } from "@/lib/tenants/provision-schema";
import { provisionTenant } from "@/lib/tenants/provision-tenant";

export const dynamic = "force-dynamic";

/** POST /heroku/resources: Heroku provisions Ebbflow for an app (`heroku addons:create`). */
export const POST = handle(async (request) => {
  requireHerokuBasicAuth(request.headers.get("authorization"));
  const body = await readJson(request, provisionRequestSchema);
  return NextResponse.json(await provisionTenant(body));
});
