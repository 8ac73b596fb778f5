import type { Principal } from "../world/oauth";

/**
 * Heroku limits API calls per account; an add-on's own token is limited on its own.
 * Unauthenticated calls are limited per client address.
 */
export function rateLimitKey(principal: Principal): string {
  return principal.kind === "user" ? `account:${principal.accountId}` : `addon:${principal.addonId}`;
}

export function anonymousRateLimitKey(remoteAddress: string): string {
  return `ip:${remoteAddress}`;
}
