import type { Redis } from "ioredis";
import { z } from "zod";
import { foldWebhookNotes, notesKey } from "@/lib/heroku-webhooks/webhook-notes";
import type { ProcessHistory } from "@/lib/scaling/types";

/**
 * What the engine remembers about a tenant between checks, in Redis: the decision history
 * per process type and the formation as last read from Heroku. Postgres keeps the permanent
 * record (samples, events); this is the engine's working memory, rebuilt from Heroku's
 * formation if lost.
 */
export interface CheckState {
  history: Record<string, ProcessHistory>;
  formation: { readAtMs: number; quantities: Record<string, number> } | null;
  /** One-off mode: the one-off dynos Ebbflow started and last saw running, by process type. */
  oneOffDynos?: Record<string, string[]>;
  /** When the latest webhook note folded into this state was received (lib/heroku-webhooks/webhook-notes.ts). */
  webhookNotesAtMs?: number;
}

const STATE_TTL_SECONDS = 7 * 86_400;
const date = z.iso.datetime().transform((value) => new Date(value));

const historySchema = z.object({
  currentQuantity: z.number().int().min(0),
  lastUpscaleAt: date.nullable(),
  lastDownscaleAt: date.nullable(),
  lastWorkAt: date.nullable(),
  samples: z.array(z.object({ at: date, neededQuantity: z.number(), wantedQuantity: z.number(), depth: z.number() })),
  workStarts: z.array(date).optional(),
  lastWeekNeededQuantity: z.number().nullable().optional(),
  quieted: z.array(z.object({ dyno: z.number().int().min(1), at: date })).optional(),
});

const stateSchema = z.object({
  history: z.record(z.string(), historySchema),
  formation: z.object({ readAtMs: z.number(), quantities: z.record(z.string(), z.number().int().min(0)) }).nullable(),
  oneOffDynos: z.record(z.string(), z.array(z.string())).optional(),
  webhookNotesAtMs: z.number().optional(),
});

function stateKey(tenantId: string): string {
  return `ebbflow:check-state:${tenantId}`;
}

export function emptyCheckState(): CheckState {
  return { history: {}, formation: null };
}

/**
 * Reads many tenants' state in one round trip, with what webhooks noted since each was saved
 * folded in; unreadable or missing state starts empty.
 */
export async function readCheckStates(redis: Redis, tenantIds: string[]): Promise<Map<string, CheckState>> {
  const states = new Map<string, CheckState>();
  if (tenantIds.length === 0) return states;
  const pipeline = redis.pipeline().mget(tenantIds.map(stateKey));
  for (const id of tenantIds) pipeline.hgetall(notesKey(id));
  const replies = (await pipeline.exec()) ?? [];
  const [stateError, raw] = replies[0] ?? [null, []];
  if (stateError) throw stateError;
  tenantIds.forEach((id, index) => {
    const text = (raw as Array<string | null>)[index];
    const parsed = text ? stateSchema.safeParse(JSON.parse(text)) : null;
    const state = parsed?.success ? parsed.data : emptyCheckState();
    const [notesError, notes] = replies[index + 1] ?? [null, null];
    // Notes are a shortcut; without them the formation is still re-read on schedule.
    states.set(id, notesError || !notes ? state : foldWebhookNotes(state, notes as Record<string, string>));
  });
  return states;
}

/** Writes many tenants' state in one round trip. */
export async function writeCheckStates(redis: Redis, states: Map<string, CheckState>): Promise<void> {
  if (states.size === 0) return;
  const pipeline = redis.pipeline();
  for (const [id, state] of states) pipeline.set(stateKey(id), JSON.stringify(state), "EX", STATE_TTL_SECONDS);
  await pipeline.exec();
}
