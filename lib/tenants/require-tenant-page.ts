import { notFound, redirect } from "next/navigation";
import { isAppError } from "@/lib/errors";
import { requireTenant, type TenantAccess, type TenantAccessOptions } from "@/lib/tenants/tenant-access";

/** requireTenant for server-rendered pages: sign-in redirect for 401, the 404 page for 404. */
export async function requireTenantPage(tenantId: string, path: string, options: TenantAccessOptions = {}): Promise<TenantAccess> {
  try {
    return await requireTenant(tenantId, options);
  } catch (error) {
    if (isAppError(error) && error.code === "unauthorized") redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}
