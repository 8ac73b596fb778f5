import { describe, expect, it } from "vitest";
import { decodeCheckState, encodeCheckState, type CheckState } from "@/lib/checks/check-state";
import type { ProcessHistory } from "@/lib/scaling/types";

const start = Date.parse("2026-12-05T10:00:00.123Z");

function history(samples: number): ProcessHistory {
  return {
    currentQuantity: 3,
    lastUpscaleAt: new Date(start - 60_000),
    lastDownscaleAt: null,
    lastWorkAt: new Date(start + samples * 10_000),
    samples: Array.from({ length: samples }, (_, i) => ({ at: new Date(start + i * 10_007), neededQuantity: i % 4, wantedQuantity: (i % 4) + 0.5, depth: i * 13 })),
    workStarts: [new Date(start - 1_000), new Date(start + 5_000)],
    workStartLoads: [4, 1],
    workStartIdleSeconds: [null, 120],
    lastWeekNeededQuantity: 2,
    quieted: [{ dyno: 3, at: new Date(start + 1) }],
  };
}

function state(samples: number): CheckState {
  return {
    history: { worker: history(samples), urgent: { ...history(2), quieted: undefined, lastWeekNeededQuantity: null } },
    formation: { readAtMs: start, quantities: { worker: 3, urgent: 1, web: 2 } },
    oneOffDynos: { batch: ["run.1234"] },
    webhookNotesAtMs: start + 5,
  };
}

/** Version 1's form, as the worker wrote it before version 2. */
function legacyText(value: CheckState): string {
  return JSON.stringify(value);
}

const normalize = (value: CheckState) => JSON.parse(JSON.stringify({ ...value, history: Object.fromEntries(Object.entries(value.history).map(([k, h]) => [k, { ...h, workStarts: h.workStarts ?? [] }])) }));

describe("check state codec", () => {
  it("round-trips every field, times to the millisecond", () => {
    const original = state(32);
    const decoded = decodeCheckState(encodeCheckState(original));
    expect(decoded).not.toBeNull();
    expect(normalize(decoded as CheckState)).toEqual(normalize(original));
    expect((decoded as CheckState).history.worker?.samples[31]?.at).toEqual(new Date(start + 31 * 10_007));
  });

  it("reads a version 1 state written before the change", () => {
    // Version 1 had no per-start loads or idle gaps.
    const full = state(5);
    const original: CheckState = {
      ...full,
      history: Object.fromEntries(Object.entries(full.history).map(([k, h]) => [k, { ...h, workStartLoads: undefined, workStartIdleSeconds: undefined }])),
    };
    const decoded = decodeCheckState(legacyText(original));
    expect(normalize(decoded as CheckState)).toEqual(normalize(original));
  });

  it("answers null for text that is not a state, so the check starts empty", () => {
    for (const text of ["", "{", "null", "[]", '{"v":2}', '{"v":2,"h":{"worker":{"q":-1}},"f":null}', '{"v":3,"h":{},"f":null}', JSON.stringify({ history: { worker: { currentQuantity: 1 } }, formation: null })]) {
      expect(decodeCheckState(text), text).toBeNull();
    }
  });

  it("stores a 32-sample state in a quarter of version 1's bytes", () => {
    const original = state(32);
    const v2 = Buffer.byteLength(encodeCheckState(original));
    const v1 = Buffer.byteLength(legacyText(original));
    // Measured, not a timing test: bytes do not depend on the machine.
    console.log(`32-sample state: version 1 ${v1} B, version 2 ${v2} B`);
    expect(v2).toBeLessThan(v1 / 3);
  });
});
