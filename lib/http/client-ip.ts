/**
 * The address a request came from, for rate limits. Heroku's router appends the connecting
 * address to X-Forwarded-For, so the last entry is the one a client cannot choose; without
 * the header (a direct connection) every request shares one bucket.
 */
export function clientIp(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for");
  const last = forwarded?.split(",").at(-1)?.trim();
  return last && /^[0-9a-fA-F:.]{2,45}$/.test(last) ? last : "direct";
}
