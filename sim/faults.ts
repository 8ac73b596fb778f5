import { z } from "zod";
import type { SimClock } from "./clock";
import { HerokuError, herokuErrors } from "./heroku-error";

/**
 * Heroku refuses formation changes while a release is in its preboot phase, but does not
 * document the response body. The sim answers 409 `conflict` by default and lets a test choose
 * another status, id or message (e.g. 422 `invalid_params`).
 */
export const prebootRefusalDefaults = {
  status: 409,
  id: "conflict",
  message: "Formation can't be changed while a release is in its preboot phase. Please try again in a few minutes.",
};

/** The fault request accepted by `sim.faults.set` and `PUT /__sim/faults`. */
export const faultInputSchema = z
  .object({
    /** Real milliseconds added to every Platform API response. */
    latencyMs: z.number().int().min(0).max(60_000).optional(),
    /** Share of Platform API calls (0..1) answered with 503 `service_unavailable`. */
    serverErrorRate: z.number().min(0).max(1).optional(),
    /** Share of OAuth token requests (0..1, id.heroku.com) answered with 503: an identity outage. */
    tokenServerErrorRate: z.number().min(0).max(1).optional(),
    /** Every Platform API call gets 429 `rate_limit` for this many sim seconds, from now. */
    rateLimitStormSeconds: z.number().min(0).optional(),
    /** Refuse formation updates as during a preboot release (true for the default answer). */
    refuseFormationUpdates: z
      .union([
        z.boolean(),
        z.object({
          status: z.number().int().min(400).max(599).optional(),
          id: z.string().min(1).optional(),
          message: z.string().min(1).optional(),
        }),
      ])
      .optional(),
  })
  .strict();

export type FaultInput = z.infer<typeof faultInputSchema>;

export interface FaultState {
  latencyMs: number;
  serverErrorRate: number;
  tokenServerErrorRate: number;
  rateLimitStormUntilMs: number | null;
  refuseFormationUpdates: { status: number; id: string; message: string } | null;
}

function noFaults(): FaultState {
  return { latencyMs: 0, serverErrorRate: 0, tokenServerErrorRate: 0, rateLimitStormUntilMs: null, refuseFormationUpdates: null };
}

/** Injectable platform faults, changed by tests in-process or through the admin API. */
export class FaultController {
  private state: FaultState = noFaults();

  constructor(
    private readonly clock: SimClock,
    private readonly random: () => number = Math.random,
  ) {}

  /** Merges `input` into the current faults (fields left out keep their value). */
  set(input: FaultInput): FaultState {
    const parsed = faultInputSchema.parse(input);
    const next = { ...this.state };
    if (parsed.latencyMs !== undefined) next.latencyMs = parsed.latencyMs;
    if (parsed.serverErrorRate !== undefined) next.serverErrorRate = parsed.serverErrorRate;
    if (parsed.tokenServerErrorRate !== undefined) next.tokenServerErrorRate = parsed.tokenServerErrorRate;
    if (parsed.rateLimitStormSeconds !== undefined) {
      next.rateLimitStormUntilMs =
        parsed.rateLimitStormSeconds > 0 ? this.clock.now() + parsed.rateLimitStormSeconds * 1000 : null;
    }
    if (parsed.refuseFormationUpdates !== undefined) {
      const refusal = parsed.refuseFormationUpdates;
      next.refuseFormationUpdates =
        refusal === false ? null : { ...prebootRefusalDefaults, ...(refusal === true ? {} : refusal) };
    }
    this.state = next;
    return this.current();
  }

  clear(): FaultState {
    this.state = noFaults();
    return this.current();
  }

  current(): FaultState {
    return { ...this.state };
  }

  /** The error to answer a Platform API call with instead of serving it, if any. */
  requestFault(): HerokuError | null {
    const storm = this.state.rateLimitStormUntilMs;
    if (storm !== null && this.clock.now() < storm) return herokuErrors.rateLimit();
    if (this.state.serverErrorRate > 0 && this.random() < this.state.serverErrorRate) {
      return herokuErrors.serviceUnavailable();
    }
    return null;
  }

  /** The error to answer an OAuth token request with instead of serving it, if any. */
  tokenFault(): HerokuError | null {
    if (this.state.tokenServerErrorRate > 0 && this.random() < this.state.tokenServerErrorRate) {
      return herokuErrors.serviceUnavailable();
    }
    return null;
  }

  /** The error refusing a formation update, if preboot refusal is on. */
  formationFault(): HerokuError | null {
    const refusal = this.state.refuseFormationUpdates;
    return refusal ? new HerokuError(refusal.status, refusal.id, refusal.message) : null;
  }

  latencyMs(): number {
    return this.state.latencyMs;
  }
}
