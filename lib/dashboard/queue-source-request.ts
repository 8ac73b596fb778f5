import { z } from "zod";
import { unseal } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { backends, queueSourceSchema, type QueueSource } from "@/lib/queues/schema";
import { processRuleSchema } from "@/lib/scaling/rules";

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => (value === "" ? undefined : value))
    .optional();

/**
 * What the sources form sends. The URL (which usually carries a password) may be left blank to
 * keep the stored one: the dashboard never sends a stored URL back to the browser.
 */
export const sourceRequestSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("push"), processType: processRuleSchema.shape.processType }),
  z.object({
    mode: z.literal("probe"),
    processType: processRuleSchema.shape.processType,
    backend: z.enum(backends),
    url: optionalText(4096),
    queues: z.array(z.string().trim().min(1).max(256)).max(200).default([]),
    namespace: optionalText(256),
    prefix: optionalText(256),
    httpFormat: z.enum(["hirefire", "ebbflow"]).optional(),
    hirefireMetric: z.enum(["depth", "latency"]).optional(),
    /** HireFire-Token for a pull; blank keeps the stored one. */
    httpToken: optionalText(512),
    /**
     * Opt-in (Sidekiq): let Ebbflow quiet dynos before removing them, with a URL of the same
     * Redis that may write. Unticked clears the stored one; a blank URL keeps it.
     */
    quiet: z.boolean().default(false),
    quietUrl: optionalText(4096),
  }),
]);

export type SourceRequest = z.output<typeof sourceRequestSchema>;
export type ProbeSourceRequest = Extract<SourceRequest, { mode: "probe" }>;

/** The stored source of a process type, opened; null when there is none or it is push. */
export async function storedSource(tenantId: string, processType: string): Promise<QueueSource | null> {
  const row = await db.queueSource.findUnique({
    where: { tenantId_processType: { tenantId, processType } },
    select: { configSealed: true },
  });
  if (!row?.configSealed) return null;
  const parsed = queueSourceSchema.safeParse(JSON.parse(unseal(row.configSealed)));
  return parsed.success ? parsed.data : null;
}

/**
 * The queue source a probe form describes, with the stored URL (and pull token) filled in where
 * the form left them blank. Validated with lib/queues' own schema; an invalid one is a 422 that
 * names the field. Never lets a customer reach private addresses through a pull.
 */
export async function resolveProbeSource(tenantId: string, request: ProbeSourceRequest): Promise<QueueSource> {
  const stored = request.url && (request.backend !== "http" || request.httpToken) ? null : await storedSource(tenantId, request.processType);
  const url = request.url ?? stored?.url;
  if (!url) throw new AppError("invalid_params", "url: enter the connection URL of the queue store");
  const http =
    request.backend === "http"
      ? {
          format: request.httpFormat ?? "hirefire",
          hirefireMetric: request.hirefireMetric ?? "depth",
          processType: request.processType,
          token: request.httpToken ?? stored?.http?.token,
          allowPrivateAddresses: false,
        }
      : undefined;
  const parsed = queueSourceSchema.safeParse({
    backend: request.backend,
    url,
    queues: request.queues.length > 0 ? request.queues : undefined,
    namespace: request.backend === "sidekiq" ? request.namespace : undefined,
    prefix: request.backend === "sidekiq" ? undefined : request.prefix,
    http,
  });
  if (!parsed.success) {
    throw new AppError("invalid_params", parsed.error.issues.map((i) => `${i.path.join(".") || "source"}: ${i.message}`).join("; "));
  }
  return parsed.data;
}
