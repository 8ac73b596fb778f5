import type { ConnectionOptions } from "node:tls";

/**
 * TLS for Ebbflow's own Redis. A `rediss://` URL speaks TLS; Heroku Redis presents a
 * self-signed certificate and Heroku documents connecting with `rejectUnauthorized: false`.
 * With `caBundle` (TLS_CA_BUNDLE) the certificate must chain to it and name the host.
 * A `redis://` URL is plain text.
 */
export function redisTls(url: string, caBundle?: string): { tls?: ConnectionOptions } {
  if (new URL(url).protocol !== "rediss:") return {};
  return { tls: caBundle ? { ca: caBundle, rejectUnauthorized: true } : { rejectUnauthorized: false } };
}
