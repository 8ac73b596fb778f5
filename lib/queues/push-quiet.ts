import type { Redis } from "ioredis";
import { z } from "zod";

/**
 * Quiet instructions for push agents (protocol 2, docs/AGENT_PROTOCOL.md): the check leaves
 * the dyno names to quiet here, and the answer to the agent's next report carries them. They
 * expire like Sidekiq's own signals: an instruction no agent picked up within a minute is
 * sent again by a later check if it still holds.
 */
const INSTRUCTION_TTL_SECONDS = 60;

function instructionKey(tenantId: string, processType: string): string {
  return `ebbflow:quiet-instructions:${tenantId}:${processType}`;
}

/** Replaces the dynos to quiet for a process type (an empty list clears them). */
export async function setQuietInstructions(redis: Redis, tenantId: string, processType: string, dynoNames: readonly string[]): Promise<void> {
  const key = instructionKey(tenantId, processType);
  if (dynoNames.length === 0) {
    await redis.del(key);
    return;
  }
  await redis.set(key, JSON.stringify(dynoNames), "EX", INSTRUCTION_TTL_SECONDS);
}

/** The dynos the agent of this process type should quiet now; empty when none. */
export async function readQuietInstructions(redis: Redis, tenantId: string, processType: string): Promise<string[]> {
  const raw = await redis.get(instructionKey(tenantId, processType));
  if (!raw) return [];
  const parsed = z.array(z.string()).safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : [];
}

/**
 * Whether a report shows a dyno Ebbflow asked to quiet as quiet and idle: the drop it waits
 * for can happen now. The agents report at once after quieting, so a check started then
 * removes the dyno seconds after it went quiet instead of a report window and a check later.
 */
export function reportsDrainedDyno(dynos: ReadonlyArray<{ name: string; quiet: boolean; busy: number }> | undefined, toQuiet: readonly string[]): boolean {
  return (dynos ?? []).some((dyno) => dyno.quiet && dyno.busy === 0 && toQuiet.includes(dyno.name));
}
