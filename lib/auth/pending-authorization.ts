import { z } from "zod";
import { seal, unseal } from "@/lib/crypto";
import { webRedis } from "@/lib/redis/connection";

/**
 * A Heroku authorization that has just come back from OAuth and has not yet been given to an
 * app. It waits here, sealed, for the page that asked for it, and is taken once: each app gets
 * its own authorization, because Heroku rotates refresh tokens and two copies would break.
 */
const PENDING_TTL_SECONDS = 10 * 60;

const pendingSchema = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  expires_in: z.number().int().positive(),
  scope: z.string().optional(),
  user_id: z.string().optional(),
});
export type PendingAuthorization = z.infer<typeof pendingSchema>;

function keyFor(userId: string): string {
  return `ebbflow:pending-authorization:${userId}`;
}

export async function stashAuthorization(userId: string, authorization: PendingAuthorization): Promise<void> {
  await webRedis().set(keyFor(userId), seal(JSON.stringify(authorization)).value, "EX", PENDING_TTL_SECONDS);
}

export async function takeAuthorization(userId: string): Promise<PendingAuthorization | null> {
  const sealed = await webRedis().getdel(keyFor(userId));
  if (!sealed) return null;
  return pendingSchema.parse(JSON.parse(unseal(sealed)));
}
