import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

const resourceId = z.uuid();

/**
 * The tenant behind a Partner API resource id (the uuid we answered provision with).
 * Unsafe: no membership check. Only the Partner API, authenticated as Heroku, may use it.
 */
export async function unsafeFindResource(id: string) {
  if (!resourceId.safeParse(id).success) throw new AppError("not_found", "No such add-on resource");
  const tenant = await db.tenant.findUnique({
    where: { herokuResourceId: id },
    select: { id: true, plan: true, state: true },
  });
  if (!tenant) throw new AppError("not_found", "No such add-on resource");
  return tenant;
}
