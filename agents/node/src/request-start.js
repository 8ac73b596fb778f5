/**
 * Parses X-Request-Start (Heroku: ms since the epoch; nginx: "t=<seconds>.<fraction>") into
 * milliseconds since the epoch, telling s/ms/µs/ns apart by magnitude. Null when unreadable.
 */
export function parseRequestStart(header) {
  if (typeof header !== "string" || header.length === 0) return null;
  const value = Number(header.startsWith("t=") ? header.slice(2) : header);
  if (!Number.isFinite(value) || value <= 0) return null;
  if (value < 1e11) return value * 1000; // seconds
  if (value < 1e14) return value; // milliseconds
  if (value < 1e17) return value / 1000; // microseconds
  return value / 1e6; // nanoseconds
}

/** now − X-Request-Start − body wait, clamped at 0; null when the header is unreadable. */
export function queueTimeMs(header, nowMs = Date.now(), bodyWaitMs = 0) {
  const start = parseRequestStart(header);
  if (start === null) return null;
  return Math.max(0, nowMs - start - (bodyWaitMs > 0 ? bodyWaitMs : 0));
}
