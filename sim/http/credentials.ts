/**
 * Heroku accepts an API token as `Authorization: Bearer <token>` or as the password of HTTP
 * Basic auth (`:<token>` or `<email>:<token>`), which is what heroku-client sends.
 */
export function bearerToken(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const [scheme, value] = authorization.trim().split(/\s+/, 2);
  if (!scheme || !value) return null;
  if (scheme.toLowerCase() === "bearer") return value;
  if (scheme.toLowerCase() === "basic") {
    const basic = basicCredentials(authorization);
    if (!basic) return null;
    return basic.password || basic.username || null;
  }
  return null;
}

export function basicCredentials(authorization: string | undefined): { username: string; password: string } | null {
  if (!authorization) return null;
  const [scheme, value] = authorization.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() !== "basic" || !value) return null;
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return { username: decoded, password: "" };
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
