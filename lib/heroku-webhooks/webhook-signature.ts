import { createHmac } from "node:crypto";
import { safeEqual } from "@/lib/crypto";

/** Heroku's `Heroku-Webhook-Hmac-SHA256`: base64 of the HMAC-SHA256 of the raw body, keyed by the secret. */
export function webhookSignature(secret: string, rawBody: Buffer): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

/** Whether the header is the body's signature under `secret`, compared in constant time. */
export function signatureMatches(header: string, secret: string, rawBody: Buffer): boolean {
  return safeEqual(header.trim(), webhookSignature(secret, rawBody));
}
