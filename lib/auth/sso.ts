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
  // Epoch seconds; twelve digits reach past the year 30 000, more is not a timestamp.
  timestamp: z.string().regex(/^\d{1,12}$/, "must be a Unix timestamp"),
  user_scoped_resource_token: z.string().optional(),
  resource_token: z.string().optional(),
  token: z.string().optional(),
  user_id: z.string().optional(),
  email: z.string().optional(),
  app: z.string().optional(),
  "nav-data": z.string().optional(),
});
export type SsoParams = z.infer<typeof ssoParamsSchema>;

/**
 * What a verified SSO request proves. `user`: the user-scoped token covers the resource, the
 * Heroku user id and the email. `resource`: the token covers the add-on resource only (the v3
 * `resource_token` or the legacy `token`), so the request proves access to that one resource
 * and nothing about who is asking: its email is not evidence of anything.
 */
export type VerifiedSso =
  | { scope: "user"; resourceId: string; herokuUserId: string; email: string; navData: string | null; replayKey: ReplayKey }
  | { scope: "resource"; resourceId: string; navData: string | null; replayKey: ReplayKey };

/** The Redis keys that make one genuine form open one session (see claimSsoForm). */
export interface ReplayKey {
  /** One per resource and timestamp: what every token of the form covers. */
  form: string;
  /** One per user-scoped token, so two users opening the add-on in the same second both get in. */
  user: string | null;
}

const uuidSchema = z.uuid();

function sha1Hex(value: string): string {
  return createHash("sha1").update(value).digest("hex");
}

function refuse(message: string): never {
  throw new AppError("forbidden", message);
}

/**
 * Checks an SSO request's token the way Heroku computes it (Dev Center, "Add-on Single
 * Sign-on"): `user_scoped_resource_token` = sha256(resource_uuid:salt:timestamp:user_uuid:email)
 * when present (and then it alone decides: a bad one is not rescued by the other tokens), else
 * `resource_token` = sha1(resource_uuid:salt:timestamp), else the legacy v1
 * `token` = sha1(id:salt:timestamp) with the provider's id (Ebbflow answers provisioning with
 * the resource uuid as its id). 403 otherwise.
 */
export function verifySso(params: SsoParams, nowSeconds: number = Math.floor(Date.now() / 1000)): VerifiedSso {
  const salt = env().HEROKU_SSO_SALT;
  const timestamp = Number(params.timestamp);
  if (nowSeconds - timestamp > SSO_MAX_AGE_SECONDS) refuse("Single sign-on link has expired; open the add-on again from Heroku");
  if (timestamp - nowSeconds > CLOCK_SKEW_SECONDS) refuse("Single sign-on timestamp is in the future");
  const navData = params["nav-data"] ?? null;

  if (params.user_scoped_resource_token !== undefined || (params.resource_token === undefined && params.token === undefined)) {
    const resourceId = params.resource_id;
    if (!resourceId || !uuidSchema.safeParse(resourceId).success) refuse("Single sign-on request names no add-on resource");
    const token = params.user_scoped_resource_token ?? "";
    const userId = params.user_id ?? "";
    const email = params.email ?? "";
    const expected = sha256Hex(`${resourceId}:${salt}:${params.timestamp}:${userId}:${email}`);
    if (!safeEqual(token, expected)) refuse("Single sign-on token is not valid");
    if (!uuidSchema.safeParse(userId).success || !email.trim()) refuse("Single sign-on request names no Heroku user");
    return {
      scope: "user",
      resourceId,
      herokuUserId: userId.toLowerCase(),
      email: email.trim(),
      navData,
      replayKey: replayKey(resourceId, params.timestamp, token),
    };
  }

  const legacy = params.resource_token === undefined;
  const resourceId = legacy ? params.id : params.resource_id;
  if (!resourceId || !uuidSchema.safeParse(resourceId).success) refuse("Single sign-on request names no add-on resource");
  const token = (legacy ? params.token : params.resource_token) ?? "";
  if (!safeEqual(token, sha1Hex(`${resourceId}:${salt}:${params.timestamp}`))) refuse("Single sign-on token is not valid");
  return { scope: "resource", resourceId, navData, replayKey: replayKey(resourceId, params.timestamp, null) };
}

function replayKey(resourceId: string, timestamp: string, userToken: string | null): ReplayKey {
  return {
    form: `ebbflow:sso:form:${sha256Hex(`${resourceId.toLowerCase()}:${timestamp}`)}`,
    user: userToken === null ? null : `ebbflow:sso:user:${sha256Hex(userToken)}`,
  };
}

/**
 * Atomically: a resource-scoped form may be used once per resource and timestamp, and only if
 * no user-scoped form of that second was; a user-scoped form once per token, and only if no
 * resource-scoped session was opened from that second's form. So a genuine form (which carries
 * all its tokens) opens one session, whichever of its tokens is sent first.
 */
const CLAIM_SCRIPT = `
if ARGV[1] == 'resource' then
  if redis.call('SET', KEYS[1], 'resource', 'NX', 'EX', ARGV[2]) then return 1 end
  return 0
end
if redis.call('GET', KEYS[1]) == 'resource' then return 0 end
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], 'user', 'NX', 'EX', ARGV[2])
return 1
`;

/** Marks a verified form used; false when it (or another part of it) was used before. */
export async function claimSsoForm(redis: Pick<Redis, "eval">, sso: Pick<VerifiedSso, "scope" | "replayKey">): Promise<boolean> {
  const ttlSeconds = String(SSO_MAX_AGE_SECONDS + CLOCK_SKEW_SECONDS * 2);
  const keys = sso.scope === "user" ? [sso.replayKey.form, sso.replayKey.user ?? ""] : [sso.replayKey.form, sso.replayKey.form];
  const result = await redis.eval(CLAIM_SCRIPT, 2, ...keys, sso.scope, ttlSeconds);
  return result === 1;
}
