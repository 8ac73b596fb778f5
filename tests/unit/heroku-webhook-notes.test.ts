import { describe, expect, it } from "vitest";
import type { CheckState } from "@/lib/checks/check-state";
import { foldWebhookNotes } from "@/lib/heroku-webhooks/webhook-notes";
import { webhookSignature, signatureMatches } from "@/lib/heroku-webhooks/webhook-signature";
import { emptyHistory } from "@/lib/scaling/decide";

const readAtMs = 1_000_000;

function state(overrides: Partial<CheckState> = {}): CheckState {
  return {
    history: { worker: { ...emptyHistory(2), quieted: [{ dyno: 2, at: new Date(readAtMs - 5_000) }] } },
    formation: { readAtMs, quantities: { worker: 2, web: 1 } },
    ...overrides,
  };
}

/** A note as webhook-notes.ts writes it: `<event ms>:<received ms>:<value>`. */
const note = (eventMs: number, receivedMs: number, value: string | number) => `${eventMs}:${receivedMs}:${value}`;

describe("folding webhook notes into a check's state", () => {
  it("takes a quantity received after the last formation read into the cache and the history", () => {
    const folded = foldWebhookNotes(state(), { "formation:worker": note(readAtMs + 900, readAtMs + 1_000, 5) });
    expect(folded.formation).toEqual({ readAtMs, quantities: { worker: 5, web: 1 } });
    expect(folded.history.worker?.currentQuantity).toBe(5);
    expect(folded.webhookNotesAtMs).toBe(readAtMs + 1_000);
  });

  it("ignores notes the formation read or an earlier fold already covers", () => {
    const before = state();
    expect(foldWebhookNotes(before, { "formation:worker": note(readAtMs - 100, readAtMs - 50, 7) })).toBe(before);
    const folded = foldWebhookNotes(state({ webhookNotesAtMs: readAtMs + 2_000 }), { "formation:worker": note(readAtMs + 1_500, readAtMs + 2_000, 7) });
    expect(folded.history.worker?.currentQuantity).toBe(2);
  });

  it("leaves a state that never read the formation alone: its check reads it whole", () => {
    const unread = state({ formation: null });
    expect(foldWebhookNotes(unread, { "formation:worker": note(readAtMs + 1, readAtMs + 2, 3) })).toBe(unread);
  });

  it("sets the cache, not a history, for a process type the engine does not follow", () => {
    const folded = foldWebhookNotes(state(), { "formation:web": note(readAtMs + 1, readAtMs + 2, 4) });
    expect(folded.formation?.quantities.web).toBe(4);
    expect(folded.history.web).toBeUndefined();
  });

  it("drops a quieted dyno that started again after it was quieted, and keeps one whose start came before", () => {
    const restarted = foldWebhookNotes(state(), { "dyno:worker.2": note(readAtMs, readAtMs + 10, "starting") });
    expect(restarted.history.worker?.quieted).toEqual([]);
    const older = foldWebhookNotes(state(), { "dyno:worker.2": note(readAtMs - 60_000, readAtMs + 10, "starting") });
    expect(older.history.worker?.quieted).toHaveLength(1);
  });

  it("skips garbage rather than failing the check", () => {
    const folded = foldWebhookNotes(state(), { "formation:worker": "nonsense", "formation:web": note(readAtMs + 1, readAtMs + 2, -1) });
    expect(folded.formation?.quantities).toEqual({ worker: 2, web: 1 });
  });
});

describe("Heroku-Webhook-Hmac-SHA256", () => {
  it("is base64 HMAC-SHA256 of the raw body, and matches only that body and secret", () => {
    const body = Buffer.from('{"id":"x"}');
    // openssl dgst -sha256 -hmac secret -binary | base64, for the same body.
    expect(webhookSignature("secret", body)).toBe("6/UwK5yLxeJV4NITXBp1E4wATmMdV8cOYIGqNmwd47k=");
    expect(signatureMatches(webhookSignature("secret", body), "secret", body)).toBe(true);
    expect(signatureMatches(webhookSignature("secret", body), "other", body)).toBe(false);
    expect(signatureMatches(webhookSignature("secret", body), "secret", Buffer.from('{"id":"y"}'))).toBe(false);
  });
});
