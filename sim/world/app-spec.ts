import { z } from "zod";

/** Heroku's app name rule (from the Platform API schema). */
export const appNamePattern = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/;

export const processTypeSpecSchema = z
  .object({
    /** Process type name, e.g. "worker". */
    type: z.string().regex(/^[-\w]{1,128}$/),
    command: z.string().min(1).optional(),
    /** Dyno size name, e.g. "standard-1x", "basic", "performance-m". */
    size: z.string().min(1).default("standard-1x"),
    /** Dynos running when the app is created. */
    quantity: z.number().int().min(0).max(100).default(0),
    /** Jobs one dyno works at once. */
    concurrency: z.number().int().min(1).max(1000).default(10),
    /** Overrides the simulator's boot delay for this process type. */
    bootDelaySeconds: z.number().min(0).optional(),
    /** Queues the dynos work, in priority order. Default: ["default"], or [] for `web`. */
    queues: z.array(z.string().min(1)).optional(),
  })
  .strict();

export const jobStoreSpecSchema = z.discriminatedUnion("backend", [
  z
    .object({
      backend: z.literal("sidekiq"),
      redisUrl: z.string().min(1),
      /** redis-namespace prefix (keys become `<namespace>:queue:<name>`). */
      namespace: z.string().min(1).optional(),
      /** Timestamp format of enqueued jobs: 7 (float seconds) or 8 (integer milliseconds). */
      version: z.union([z.literal(7), z.literal(8)]).default(7),
    })
    .strict(),
  z
    .object({
      backend: z.literal("bullmq"),
      redisUrl: z.string().min(1),
      /** BullMQ key prefix. */
      prefix: z.string().min(1).default("bull"),
    })
    .strict(),
]);

export const appSpecSchema = z
  .object({
    name: z.string().regex(appNamePattern, "app names are 3-30 of a-z, 0-9 and -, starting with a letter").optional(),
    /** Owner account id or email. */
    owner: z.string().min(1),
    region: z.enum(["us", "eu"]).default("us"),
    processTypes: z
      .array(processTypeSpecSchema)
      .min(1)
      .default([{ type: "worker", size: "standard-1x", quantity: 0, concurrency: 10 }]),
    /** Config vars set at creation (`heroku config:set`); the app's add-ons add theirs. */
    config: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "config var names are letters, digits and _"), z.string().max(4096)).default({}),
    /** Where the app's jobs live; without it dynos boot and bill but work no jobs. */
    jobs: jobStoreSpecSchema.optional(),
  })
  .strict();

/** What callers pass to create an app (defaults applied by the schema). */
export type AppSpecInput = z.input<typeof appSpecSchema>;
export type AppSpec = z.output<typeof appSpecSchema>;
export type JobStoreSpec = z.output<typeof jobStoreSpecSchema>;
export type ProcessTypeSpec = z.output<typeof processTypeSpecSchema>;
