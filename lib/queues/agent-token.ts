import { sha256Hex } from "@/lib/crypto";

/**
 * Agent tokens are stored only as their SHA-256 (hex), in `Tenant.agentTokenHash`. A token
 * is long and random, so a fast hash is enough: there is nothing to brute-force, and the
 * unique index on the hash finds the tenant in one lookup without comparing secrets.
 */
export function hashAgentToken(token: string): string {
  return sha256Hex(token);
}

const tokenPattern = /^[A-Za-z0-9._~+/=-]{16,512}$/;

/**
 * The agent token from `Authorization: Bearer <token>`, or from Basic auth whose password is
 * the token: EBBFLOW_URL carries it as `https://agent:<token>@…`, and HTTP clients given that
 * URL send it as Basic auth by themselves.
 */
export function agentTokenFrom(header: string | null): string | null {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "")?.[1];
  if (bearer) return tokenPattern.test(bearer) ? bearer : null;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "")?.[1];
  if (!basic) return null;
  const decoded = Buffer.from(basic, "base64").toString("utf8");
  const password = decoded.slice(decoded.indexOf(":") + 1);
  return decoded.includes(":") && tokenPattern.test(password) ? password : null;
}
