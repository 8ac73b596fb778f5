import { createHash } from "node:crypto";

/**
 * Heroku's add-on single sign-on tokens (Dev Center, "Add-on Single Sign-On"):
 * - v3 `resource_token` = sha1(resource_uuid:salt:timestamp)
 * - v3 `user_scoped_resource_token` = sha256(resource_uuid:salt:timestamp:user_uuid:user_email),
 *   the recommended one, since it binds the login to the user who clicked through;
 * - legacy v1 `token` = sha1(id:salt:timestamp), where id is the provider's resource id.
 * All are lower-case hex; timestamp is epoch seconds as sent in the form.
 */
export interface SsoTokenInput {
  resourceId: string;
  salt: string;
  timestamp: string;
  userId: string;
  email: string;
  /** The provider's own id for the resource (legacy `id` field); defaults to resourceId. */
  legacyId?: string;
}

function hex(algorithm: "sha1" | "sha256", value: string): string {
  return createHash(algorithm).update(value).digest("hex");
}

export function computeSsoTokens(input: SsoTokenInput): {
  resource_token: string;
  user_scoped_resource_token: string;
  token: string;
} {
  const { resourceId, salt, timestamp, userId, email } = input;
  return {
    resource_token: hex("sha1", `${resourceId}:${salt}:${timestamp}`),
    user_scoped_resource_token: hex("sha256", `${resourceId}:${salt}:${timestamp}:${userId}:${email}`),
    token: hex("sha1", `${input.legacyId ?? resourceId}:${salt}:${timestamp}`),
  };
}
