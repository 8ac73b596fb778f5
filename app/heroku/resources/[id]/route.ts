import { NextResponse } from "next/server";
import { requireHerokuBasicAuth } from "@/lib/auth/heroku-basic-auth";
import { handle } from "@/lib/http/handle";
import { readJson } from "@/lib/http/read-json";
import { changePlan } from "@/lib/tenants/change-plan";
import { deprovisionTenant } from "@/lib/tenants/deprovision-tenant";
import { planChangeRequestSchema } from "@/lib/tenants/provision-schema";

export const dynamic = "force-dynamic";

/** PUT /heroku/resources/{id}: Heroku changes the plan (`heroku addons:upgrade`). */
export const PUT = handle<{ id: string }>(async (request, { params }) => {
  requireHerokuBasicAuth(request.headers.get("authorization"));
  const body = await readJson(request, planChangeRequestSchema);
  return NextResponse.json(await changePlan(params.id, body.plan));
});

/** DELETE /heroku/resources/{id}: Heroku removes Ebbflow (`heroku addons:destroy`). */
export const DELETE = handle<{ id: string }>(async (request, { params }) => {
  requireHerokuBasicAuth(request.headers.get("authorization"));
  await deprovisionTenant(params.id);
  return new Response(null, { status: 204 });
});
