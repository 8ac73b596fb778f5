import { afterAll, afterEach, beforeAll } from "vitest";
import type { SimOptions } from "@/sim/start-sim";
import { startTestSim, type TestSim } from "@/sim/testing/sim-test-kit";
import { createSchemaRecorder } from "./heroku-schema";

/**
 * A simulated Heroku with a manual clock for one test file, every response it sends checked
 * against Heroku's published schema after each test. Registers its own hooks; the returned
 * `harness` is there once `beforeAll` has run.
 */
export function useCheckedSim(options: Omit<SimOptions, "clock" | "onApiResponse"> = {}) {
  const recorder = createSchemaRecorder();
  let harness: TestSim | undefined;
  beforeAll(async () => {
    harness = await startTestSim({ ...options, onApiResponse: recorder.onApiResponse });
  });
  afterEach(() => recorder.assertAllValid());
  afterAll(async () => {
    await harness?.close();
  });
  return {
    recorder,
    get harness(): TestSim {
      if (!harness) throw new Error("the simulated Heroku starts in beforeAll");
      return harness;
    },
  };
}
