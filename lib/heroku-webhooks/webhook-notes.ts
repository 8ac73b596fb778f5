import type { Redis } from "ioredis";
import type { CheckState } from "@/lib/checks/check-state";

/**
 * What webhooks told Ebbflow about a tenant's formation and dynos, kept in Redis for the next
 * check to fold into its state. The check's state is written by the check alone (a webhook
 * landing mid-check would otherwise be overwritten), so a webhook leaves a note instead: per
 * process type the latest quantity, per dyno the latest start, each with when Heroku made the
 * event (orders notes) and when Ebbflow received it (orders them against formation reads).
 */

const NOTES_TTL_MS = 24 * 3_600_000;
/** How long a formation update Ebbflow sent is remembered, to tell its own webhook from a change by hand. */
const OWN_CHANGE_TTL_MS = 2 * 60_000;

export function notesKey(tenantId: string): string {
  return `ebbflow:webhook-notes:${tenantId}`;
}

function ownChangesKey(tenantId: string): string {
  return `ebbflow:own-formation:${tenantId}`;
}

/** Writes a note unless one about a later event is there (Heroku does not promise order). */
const WRITE_IF_NEWER = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local at = tonumber(string.match(current, '^(%d+)'))
  if at and at > tonumber(ARGV[2]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. ARGV[3] .. ':' .. ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

interface Note {
  eventMs: number;
  receivedMs: number;
  value: string;
}

async function writeNote(redis: Redis, tenantId: string, field: string, note: Note): Promise<void> {
  await redis.eval(WRITE_IF_NEWER, 1, notesKey(tenantId), field, String(note.eventMs), String(note.receivedMs), note.value, String(NOTES_TTL_MS));
}

/** Heroku says `processType` now runs `quantity` dynos. */
export function noteFormation(redis: Redis, tenantId: string, processType: string, quantity: number, eventMs: number, receivedMs: number): Promise<void> {
  return writeNote(redis, tenantId, `formation:${processType}`, { eventMs, receivedMs, value: String(quantity) });
}

/** Heroku says a dyno (`worker.3`) started: a new process, so no longer a quiet one. */
export function noteDynoStarted(redis: Redis, tenantId: string, dynoName: string, eventMs: number, receivedMs: number): Promise<void> {
  return writeNote(redis, tenantId, `dyno:${dynoName}`, { eventMs, receivedMs, value: "starting" });
}

function parseNote(raw: string): Note | null {
  const match = /^(\d+):(\d+):(.*)$/.exec(raw);
  return match ? { eventMs: Number(match[1]), receivedMs: Number(match[2]), value: match[3] ?? "" } : null;
}

/**
 * Folds the notes received since the state last saw them (or last read the formation) into a
 * check's state: quantities into the cached formation and each known process type's history,
 * started dynos out of the quieted lists. A state that has never read the formation is left
 * alone: its check reads the whole formation anyway. Pure; returns a new state.
 */
export function foldWebhookNotes(state: CheckState, notes: Record<string, string>): CheckState {
  if (!state.formation) return state;
  const seenUpToMs = Math.max(state.formation.readAtMs, state.webhookNotesAtMs ?? 0);
  let latestMs = state.webhookNotesAtMs ?? 0;
  const quantities = { ...state.formation.quantities };
  const history = { ...state.history };
  for (const [field, raw] of Object.entries(notes)) {
    const note = parseNote(raw);
    if (!note || note.receivedMs <= seenUpToMs) continue;
    latestMs = Math.max(latestMs, note.receivedMs);
    const [kind, name = ""] = field.split(/:(.*)/s);
    if (kind === "formation") {
      const quantity = Number(note.value);
      if (!Number.isInteger(quantity) || quantity < 0) continue;
      quantities[name] = quantity;
      const known = history[name];
      if (known) history[name] = { ...known, currentQuantity: quantity };
    } else if (kind === "dyno" && note.value === "starting") {
      const [type = "", number = ""] = name.split(".");
      const known = history[type];
      if (!known?.quieted) continue;
      const restarted = known.quieted.filter((entry) => entry.dyno === Number(number) && entry.at.getTime() <= note.eventMs);
      if (restarted.length > 0) history[type] = { ...known, quieted: known.quieted.filter((entry) => !restarted.includes(entry)) };
    }
  }
  if (latestMs === (state.webhookNotesAtMs ?? 0)) return state;
  return { ...state, history, formation: { ...state.formation, quantities }, webhookNotesAtMs: latestMs };
}

/** Remembers the quantities Ebbflow is about to set, before it sends them to Heroku. */
export async function rememberOwnFormationChange(redis: Redis, tenantId: string, updates: ReadonlyArray<{ type: string; quantity: number }>, nowMs: number): Promise<void> {
  if (updates.length === 0) return;
  const key = ownChangesKey(tenantId);
  const fields = updates.flatMap((update) => [update.type, `${update.quantity}:${nowMs}`]);
  await redis.multi().hset(key, ...fields).pexpire(key, OWN_CHANGE_TTL_MS).exec();
}

/** Whether Ebbflow itself set `processType` to `quantity` in the last two minutes. */
export async function isOwnFormationChange(redis: Redis, tenantId: string, processType: string, quantity: number, nowMs: number): Promise<boolean> {
  const raw = await redis.hget(ownChangesKey(tenantId), processType);
  const match = raw ? /^(\d+):(\d+)$/.exec(raw) : null;
  return Boolean(match && Number(match[1]) === quantity && nowMs - Number(match[2]) <= OWN_CHANGE_TTL_MS);
}
