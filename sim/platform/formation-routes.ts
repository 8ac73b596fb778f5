import { z } from "zod";
import { herokuErrors } from "../heroku-error";
import { json } from "../http/types";
import type { SimApp } from "../world/apps";
import type { SimWorld } from "../world/sim-world";
import { type ApiContext, type ApiRoute, param, requireApp } from "./api-access";
import type { RequestedChange } from "./plan-formation-update";
import { presentFormation } from "./presenters";

const dynoSizeInputSchema = z.object({ id: z.string().optional(), name: z.string().optional() });

const changeFields = {
  quantity: z.number().int().optional(),
  dyno_size: dynoSizeInputSchema.optional(),
  /** Deprecated in the schema, still accepted by Heroku. */
  size: z.string().optional(),
};

const singleUpdateSchema = z.object(changeFields);
const batchUpdateSchema = z.object({ updates: z.array(z.object({ type: z.string(), ...changeFields })) });

/**
 * Heroku takes a quantity sent as a string, as the CLI sends it: digits ("2") as the number,
 * and a relative "+1" / "-1" (`heroku ps:scale worker+1`) from the current quantity. Anything
 * else is left for the schema to refuse.
 */
function quantityAsNumber(change: unknown, current: (type: string) => number | undefined, pathType?: string): unknown {
  if (typeof change !== "object" || change === null || !("quantity" in change)) return change;
  const quantity = change.quantity;
  if (typeof quantity !== "string") return change;
  if (/^\d+$/.test(quantity)) return { ...change, quantity: Number(quantity) };
  const type = pathType ?? ("type" in change && typeof change.type === "string" ? change.type : undefined);
  const now = type === undefined ? undefined : current(type);
  if (/^[+-]\d+$/.test(quantity) && now !== undefined) return { ...change, quantity: now + Number(quantity) };
  return change;
}

function currentQuantities(request: { world: SimWorld; params: Record<string, string> }) {
  const app = request.params.app === undefined ? undefined : request.world.apps.find(request.params.app);
  return (type: string) =>
    app ? [...app.runtime.processTypes.values()].find((processType) => processType.type === type || processType.id === type)?.quantity : undefined;
}

function normalizeOne(body: unknown, request: { world: SimWorld; params: Record<string, string> }): unknown {
  return quantityAsNumber(body, currentQuantities(request), request.params.type);
}

function normalizeBatch(body: unknown, request: { world: SimWorld; params: Record<string, string> }): unknown {
  if (typeof body !== "object" || body === null || !("updates" in body) || !Array.isArray(body.updates)) return body;
  const current = currentQuantities(request);
  return { ...body, updates: body.updates.map((change: unknown) => quantityAsNumber(change, current)) };
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw herokuErrors.invalidParams(`Invalid params: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function toChange(type: string, input: z.infer<typeof singleUpdateSchema>): RequestedChange {
  return { type, quantity: input.quantity, size: input.dyno_size?.name ?? input.dyno_size?.id ?? input.size };
}

function findProcessType(app: SimApp, typeOrId: string) {
  return [...app.runtime.processTypes.values()].find((processType) => processType.type === typeOrId || processType.id === typeOrId);
}

/** Validates, applies and presents one (batch) update; refused as a whole during a preboot fault. */
async function updateFormation(context: ApiContext, app: SimApp, changes: RequestedChange[]) {
  const updated = await context.world.scaleFormation(app, changes, context.world.actorFor(context.token.principal));
  return updated.map((processType) => presentFormation(app, processType));
}

/** GET /apps/{app}/formation */
export const listFormation: ApiRoute = {
  scope: "read",
  handle: (context) => {
    const app = requireApp(context, param(context, "app"));
    return json(200, [...app.runtime.processTypes.values()].map((processType) => presentFormation(app, processType)));
  },
};

/** GET /apps/{app}/formation/{type} */
export const getFormation: ApiRoute = {
  scope: "read",
  handle: (context) => {
    const app = requireApp(context, param(context, "app"));
    const processType = findProcessType(app, param(context, "type"));
    if (!processType) throw herokuErrors.notFound("Couldn't find that formation.");
    return json(200, presentFormation(app, processType));
  },
};

/** PATCH /apps/{app}/formation/{type} */
export const updateOneFormation: ApiRoute = {
  scope: "write",
  normalizeBody: normalizeOne,
  handle: async (context) => {
    const app = requireApp(context, param(context, "app"));
    const input = parseBody(singleUpdateSchema, context.body ?? {});
    const [updated] = await updateFormation(context, app, [toChange(param(context, "type"), input)]);
    return json(200, updated);
  },
};

/** PATCH /apps/{app}/formation with `{"updates": [{"type": "worker", "quantity": 3}]}` */
export const batchUpdateFormation: ApiRoute = {
  scope: "write",
  normalizeBody: normalizeBatch,
  handle: async (context) => {
    const app = requireApp(context, param(context, "app"));
    const input = parseBody(batchUpdateSchema, context.body);
    const updated = await updateFormation(
      context,
      app,
      input.updates.map((update) => toChange(update.type, update)),
    );
    return json(200, updated);
  },
};
