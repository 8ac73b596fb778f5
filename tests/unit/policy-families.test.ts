import { describe, expect, it } from "vitest";
import { jobProfile } from "@/bench/policy/catalog";
import { bootRangeSeconds, buildFamilyTrace, familyNames, familySizes, familySpecs, familyTraces, jobBudget } from "@/bench/policy/families";
import { baselineNames, baselineSweep, compareToBaselines, meets, paretoFrontier, staticQuantities, type CostWaitPoint } from "@/bench/policy/frontier";
import { figuresBegin, figuresEnd, replaceFigureBlock } from "@/bench/policy/families-report";
import { staticPolicy } from "@/bench/policy/policies/static";
import { maxDynosFor } from "@/bench/policy/prices";
import { simulate } from "@/bench/policy/simulate";
import type { Trace } from "@/bench/policy/trace";

const fingerprint = (trace: Trace): string => {
  let sum = 0;
  for (let i = 0; i < trace.arrival.length; i++) sum += (trace.arrival[i] as number) * 1.000001 + (trace.duration[i] as number);
  return `${trace.name}|${trace.dynoSize}|${trace.concurrency}|${trace.bootSeconds}|${trace.arrival.length}|${sum.toFixed(3)}`;
};

describe("generated workload families", () => {
  const seed1 = familyTraces(1);

  it("gives the same traces for the same seed", () => {
    expect(familyTraces(1).map(fingerprint)).toEqual(seed1.map(fingerprint));
    // Built from its recipe alone (as a worker thread does), a trace is the same one.
    const spec = familySpecs(1)[17];
    expect(spec).toBeDefined();
    if (spec) expect(fingerprint(buildFamilyTrace(spec))).toBe(fingerprint(seed1[17] as Trace));
  }, 60_000);

  it("gives other traces for another seed", () => {
    const seed2 = familyTraces(2);
    const same = seed2.filter((t, i) => fingerprint(t).split("|").slice(1).join("|") === fingerprint(seed1[i] as Trace).split("|").slice(1).join("|"));
    expect(same).toHaveLength(0);
    expect(familySpecs(2).map((s) => s.bootSeconds)).not.toEqual(familySpecs(1).map((s) => s.bootSeconds));
  }, 60_000);

  it("covers every family, every size and the boot range with at least 40 traces a seed", () => {
    for (const seed of [1, 2, 3, 99]) {
      const specs = familySpecs(seed);
      expect(specs.length).toBeGreaterThanOrEqual(40);
      expect(new Set(specs.map((s) => s.family))).toEqual(new Set(familyNames));
      expect(familyNames.length).toBeGreaterThanOrEqual(10);
      expect(new Set(specs.map((s) => s.size))).toEqual(new Set(familySizes));
      const boots = specs.map((s) => s.bootSeconds);
      expect(Math.min(...boots)).toBeGreaterThanOrEqual(bootRangeSeconds.min);
      expect(Math.max(...boots)).toBeLessThanOrEqual(bootRangeSeconds.max);
      expect(Math.min(...boots)).toBeLessThanOrEqual(15);
      expect(Math.max(...boots)).toBeGreaterThanOrEqual(85);
      expect(new Set(specs.map((s) => s.concurrency)).size).toBeGreaterThanOrEqual(4);
      expect(new Set(specs.map((s) => s.name)).size).toBe(specs.length);
    }
    for (const trace of seed1) {
      expect(trace.arrival.length).toBeGreaterThan(0);
      expect(trace.arrival.length).toBeLessThanOrEqual(jobBudget * 1.5);
      expect(trace.horizonSeconds).toBeLessThanOrEqual(7 * 86_400);
      let sorted = true;
      for (let i = 1; i < trace.arrival.length; i++) sorted &&= (trace.arrival[i] as number) >= (trace.arrival[i - 1] as number);
      expect(sorted).toBe(true);
      expect(trace.arrival.at(-1)).toBeLessThan(trace.horizonSeconds);
      expect(Math.min(...trace.duration)).toBeGreaterThanOrEqual(0.1);
    }
    const priority = seed1.filter((t) => t.name.startsWith("priority-queues"));
    expect(priority.every((t) => t.queues.length === 3 && t.queuePriority?.length === 3)).toBe(true);
  }, 60_000);

  it("respects Heroku's per-process-type cap: eco and basic 1, performance 10", () => {
    for (const trace of [...seed1, ...familyTraces(3)]) {
      const profile = jobProfile(trace);
      expect(profile.peakNeed).toBeLessThanOrEqual(maxDynosFor(trace.dynoSize));
      for (const setting of baselineSweep(trace, profile)) {
        const max = Number(setting.build().knobs.max ?? setting.build().knobs.quantity);
        expect(max).toBeLessThanOrEqual(maxDynosFor(trace.dynoSize));
      }
    }
    // A fixed formation above the cap is held to it by the simulator as well.
    const eco = seed1.find((t) => t.dynoSize === "eco") as Trace;
    const run = simulate(eco, staticPolicy("static 3", 3));
    expect(run.dynoSeconds).toBeCloseTo(eco.horizonSeconds, 0);
  }, 120_000);
});

describe("baseline sweeps", () => {
  it("sweeps every baseline across its knob range", () => {
    const trace = familyTraces(5).find((t) => t.concurrency >= 4 && !["eco", "basic"].includes(t.dynoSize)) as Trace;
    const settings = baselineSweep(trace, jobProfile(trace));
    const count = (name: string) => settings.filter((s) => s.baseline === name).length;
    expect(new Set(settings.map((s) => s.baseline))).toEqual(new Set(baselineNames));
    expect(count("hirefire-ratio")).toBe(16);
    expect(count("hirefire-latency")).toBe(10);
    expect(count("judoscale")).toBe(20);
    expect(count("autoscaler-gem")).toBe(12);
    expect(count("keda-hpa")).toBe(12);
    expect(new Set(settings.map((s) => s.label)).size).toBe(settings.length);
  });

  it("sweeps static 1..peak, or twelve quantities from 1 to the peak above that", () => {
    expect(staticQuantities(3)).toEqual([1, 2, 3]);
    const many = staticQuantities(43);
    expect(many).toHaveLength(12);
    expect(many[0]).toBe(1);
    expect(many.at(-1)).toBe(43);
  });
});

const point = (label: string, dollars: number, p95: number, unfinished = 0): CostWaitPoint => ({ label, baseline: label.split(" ")[0] ?? label, dollars, p95, p99: p95, killed: 0, unfinished });

describe("Pareto frontier", () => {
  it("keeps exactly the points nothing else beats on cost and wait", () => {
    const points = [
      point("a", 10, 50),
      point("b", 12, 40), // on it
      point("c", 12, 45), // same cost as b, waits longer
      point("d", 15, 40), // costs more than b for the same wait
      point("e", 20, 5), // on it
      point("f", 8, 90), // cheapest: on it
      point("g", 30, 5), // same wait as e, dearer
      point("h", 25, 0), // on it: the only zero wait
    ];
    expect(paretoFrontier(points).map((p) => p.label)).toEqual(["f", "a", "b", "e", "h"]);
    expect(paretoFrontier([])).toEqual([]);
  });
});

describe("the comparison rule", () => {
  const points = [point("cheap-slow", 5, 120), point("mid", 9, 30), point("mid-dear", 11, 25), point("dear-fast", 40, 0), point("cheap-unfinished", 1, 0, 3)];

  it("takes the cheapest baseline point that waits no longer than Ebbflow", () => {
    const c = compareToBaselines({ dollars: 6, p95: 30 }, points);
    expect(c.kind).toBe("compared");
    if (c.kind !== "compared") return;
    expect(c.point.label).toBe("mid"); // p95 30 ≤ 30; cheap-slow waits longer; the unfinished point does not count
    expect(c.ratio).toBeCloseTo(6 / 9, 10);
    expect(meets(c, 0.8)).toBe(true);
    const tighter = compareToBaselines({ dollars: 10, p95: 29.9 }, points);
    expect(tighter.kind === "compared" && tighter.point.label).toBe("mid-dear");
    expect(tighter.kind === "compared" && meets(tighter, 0.8)).toBe(false);
    expect(tighter.kind === "compared" && meets(tighter, 1)).toBe(true);
  });

  it("says Ebbflow dominates when no baseline point waits that little, naming the nearest", () => {
    const c = compareToBaselines({ dollars: 3, p95: 10 }, points.filter((p) => p.label !== "dear-fast"));
    expect(c.kind).toBe("dominates");
    if (c.kind !== "dominates") return;
    expect(c.nearest?.label).toBe("mid-dear");
    expect(c.ratioToNearest).toBeCloseTo(3 / 11, 10);
    expect(meets(c, 0.8)).toBe(true);
    expect(compareToBaselines({ dollars: 3, p95: 10 }, [])).toEqual({ kind: "dominates", nearest: null, ratioToNearest: null });
  });
});

describe("the results file's figure block", () => {
  it("replaces only what lies between the markers, and refuses a file without them", () => {
    const markdown = `# Results\n\nbefore\n${figuresBegin}\nold figures\n${figuresEnd}\nafter\n`;
    const updated = replaceFigureBlock(markdown, "new figures");
    expect(updated).toBe(`# Results\n\nbefore\n${figuresBegin}\nnew figures\n${figuresEnd}\nafter\n`);
    expect(replaceFigureBlock(updated, "newer")).toContain(`${figuresBegin}\nnewer\n${figuresEnd}`);
    expect(() => replaceFigureBlock("# Results\n", "x")).toThrow(/markers/);
  });
});
