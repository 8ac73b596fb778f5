import { randomBytes, randomUUID } from "node:crypto";

/** A Heroku-style resource id (UUID v4). */
export function newId(): string {
  return randomUUID();
}

/** `bytes` random bytes as lower-case hex. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

/** An opaque bearer token in the shape of Heroku's current `HRKU-` tokens. */
export function newAccessToken(): string {
  return `HRKU-AA${randomBytes(30).toString("base64url")}`;
}

/** An opaque refresh token. */
export function newRefreshToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Heroku formats times as RFC 3339 without fractional seconds. */
export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "Z");
}
