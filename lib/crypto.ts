import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/**
 * Secrets at rest: AES-256-GCM with a random 96-bit IV. A sealed value is
 * `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts); keyId is the first 8 bytes of the
 * key's sha256, so a value sealed with an older key still opens after rotation as long as
 * that key stays in ENCRYPTION_KEY (newest first; new values use the first).
 */
const VERSION = "v1";

export interface Keyring {
  current: { id: string; key: Buffer };
  byId: Map<string, Buffer>;
}

export function keyringFrom(base64Keys: string[]): Keyring {
  const keys = base64Keys.map((encoded) => {
    const key = Buffer.from(encoded, "base64");
    if (key.length !== 32) throw new Error("ENCRYPTION_KEY entries must be 32 bytes, base64-encoded");
    return { id: keyIdOf(key), key };
  });
  const current = keys[0];
  if (!current) throw new Error("ENCRYPTION_KEY needs at least one key");
  return { current, byId: new Map(keys.map((k) => [k.id, k.key])) };
}

function keyIdOf(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

let cachedKeyring: Keyring | undefined;
function defaultKeyring(): Keyring {
  cachedKeyring ??= keyringFrom(env().ENCRYPTION_KEY);
  return cachedKeyring;
}

export interface Sealed {
  value: string;
  keyId: string;
}

export function seal(plaintext: string, keyring: Keyring = defaultKeyring()): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyring.current.key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const parts = [VERSION, keyring.current.id, iv, cipher.getAuthTag(), ciphertext].map((part) =>
    typeof part === "string" ? part : part.toString("base64url"),
  );
  return { value: parts.join("."), keyId: keyring.current.id };
}

export function unseal(sealed: string, keyring: Keyring = defaultKeyring()): string {
  const [version, keyId, iv, tag, ciphertext, ...rest] = sealed.split(".");
  if (version !== VERSION || !keyId || !iv || !tag || ciphertext === undefined || rest.length > 0) {
    throw new Error("Not a sealed value");
  }
  const key = keyring.byId.get(keyId);
  if (!key) throw new Error(`Sealed with key ${keyId}, which is no longer in ENCRYPTION_KEY`);
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/**
 * Compares two secrets in constant time. Both sides are hashed first so that neither the
 * length nor the content of the expected value leaks through timing.
 */
export function safeEqual(actual: string, expected: string): boolean {
  const a = createHash("sha256").update(actual).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** A random token for agents and one-time codes: 32 bytes, base64url, with a readable prefix. */
export function randomToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}
