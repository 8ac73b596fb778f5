import { parentPort } from "node:worker_threads";
import type { FamilySpec } from "@/bench/policy/families";
import { evaluateFamilyTrace } from "@/bench/policy/families-run";

/** A benchmark worker thread: evaluates each recipe it is sent and answers with the outcome. */
parentPort?.on("message", ({ spec, variants }: { spec: FamilySpec; variants: boolean }) => {
  try {
    parentPort?.postMessage({ ok: true, outcome: evaluateFamilyTrace(spec, variants) });
  } catch (error) {
    parentPort?.postMessage({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
