import { createHash } from "node:crypto";
import { z } from "zod";
import { safeEqual, sha256Hex } from "@/lib/crypto";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { Redis } from "ioredis";

/** Heroku signs SSO requests with a timestamp; older than this, or from the future, is refused. */
export const SSO_MAX_AGE_SECONDS = 5 * 60;
const CLOCK_SKEW_SECONDS = 60;

/** The fields of Heroku's SSO form post (v3) and of the legacy GET. Unknown fields are ignored. */
export const ssoParamsSchema = z.looseObject({
  resource_id: z.string().optional(),
  id: z.string().optional(),
  timestamp: z.string().regex(/^\d+$/, "must be a Unix timestamp"),
  user_scoped_resource_token: z.string().optional(),
  resource_token: z.string().optional(),
  token: z.string().optional(),
  user_id: z.string().optional(),
  email: z.string().optional(),
  app: z.string().optional(),
  "nav-data": z.string().optional(),
});
export type SsoParams = z.infer<typeof ssoParamsSchema>;

export interface VerifiedSso {
  resourceId: string;
  email: string | null;
  herokuUserId: string | null;
  navData: string | null;
  /** The token that was accepted, so it can be marked used. */
  token: string;
}

function sha1Hex(value: string): string {
  return createHash("sha1").update(value).digest("hex");
}

/**
 * Checks an SSO request's token the way Heroku computes it: the user-scoped token (sha256 of
 * resource, salt, time, user id and email) when present, else the resource token (sha1 of
 * resource, salt, time), else the legacy token (sha1 of id, salt, time). 403 otherwise.
 */
export function verifySso(params: SsoParams, nowSeconds: number = Math.floor(Date.now() / 1000)): VerifiedSso {
  const salt = env().HEROKU_SSO_SALT;
  const resourceId = params.resource_id ?? params.id;
  if (!resourceId) throw new AppError("forbidden", "Single sign-on request names no add-on resource");

  const timestamp = Number(params.timestamp);
  if (nowSeconds - timestamp > SSO_MAX_AGE_SECONDS) {
    throw new AppError("forbidden", "Single sign-on link has expired; open the add-on again from Heroku");
  }
  if (timestamp - nowSeconds > CLOCK_SKEW_SECONDS) throw new AppError("forbidden", "Single sign-on timestamp is in the future");

  const base = `${resourceId}:${salt}:${params.timestamp}`;
  let token: string | undefined;
  let valid = false;
  if (params.user_scoped_resource_token) {
    token = params.user_scoped_resource_token;
    valid = safeEqual(token, sha256Hex(`${base}:${params.user_id ?? ""}:${params.email ?? ""}`));
  } else if (params.resource_token) {
    token = params.resource_token;
    valid = safeEqual(token, sha1Hex(base));
  } else if (params.token) {
    token = params.token;
    valid = safeEqual(token, sha1Hex(base));
  }
  if (!token || !valid) throw new AppError("forbidden", "Single sign-on token is not valid");

  return {
    resourceId,
    email: params.email ?? null,
    herokuUserId: params.user_id ?? null,
    navData: params["nav-data"] ?? null,
    token,
  };
}

/** Marks a token used; false when it was used before. A token opens one session only. */
export async function claimSsoToken(redis: Pick<Redis, "set">, token: string): Promise<boolean> {
  const key = `ebbflow:sso:used:${sha256Hex(token)}`;
  const result = await redis.set(key, "1", "EX", SSO_MAX_AGE_SECONDS + CLOCK_SKEW_SECONDS * 2, "NX");
  return result === "OK";
}
