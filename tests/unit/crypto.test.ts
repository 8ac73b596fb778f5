import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keyringFrom, randomToken, safeEqual, seal, unseal } from "@/lib/crypto";

const newKey = randomBytes(32).toString("base64");
const oldKey = randomBytes(32).toString("base64");

describe("seal / unseal", () => {
  it("round-trips and never contains the plaintext", () => {
    const keyring = keyringFrom([newKey]);
    const sealed = seal("heroku-access-token-123", keyring);
    expect(sealed.value).not.toContain("heroku-access-token-123");
    expect(sealed.value.startsWith(`v1.${sealed.keyId}.`)).toBe(true);
    expect(unseal(sealed.value, keyring)).toBe("heroku-access-token-123");
  });

  it("uses a fresh IV each time", () => {
    const keyring = keyringFrom([newKey]);
    expect(seal("same", keyring).value).not.toBe(seal("same", keyring).value);
  });

  it("opens values sealed with an older key after rotation, and seals with the newest", () => {
    const before = seal("secret", keyringFrom([oldKey]));
    const rotated = keyringFrom([newKey, oldKey]);
    expect(unseal(before.value, rotated)).toBe("secret");
    expect(seal("secret", rotated).keyId).not.toBe(before.keyId);
  });

  it("refuses a tampered value and an unknown key", () => {
    const keyring = keyringFrom([newKey]);
    const { value } = seal("secret", keyring);
    const parts = value.split(".");
    const ciphertext = Buffer.from(parts[4] ?? "", "base64url");
    ciphertext[0] = (ciphertext[0] ?? 0) ^ 1;
    parts[4] = ciphertext.toString("base64url");
    expect(() => unseal(parts.join("."), keyring)).toThrow();
    expect(() => unseal(value, keyringFrom([oldKey]))).toThrow(/no longer in ENCRYPTION_KEY/);
  });
});

describe("safeEqual", () => {
  it("compares secrets of any length", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
    expect(safeEqual("", "x")).toBe(false);
  });
});

describe("randomToken", () => {
  it("is prefixed and long enough to be unguessable", () => {
    expect(randomToken("ebb")).toMatch(/^ebb_[A-Za-z0-9_-]{43}$/);
  });
});
