import { z } from "zod";
import { herokuErrors } from "../heroku-error";
import { json } from "../http/types";
import type { SimApp } from "../world/apps";
import { type ApiContext, type ApiRoute, param, requireApp } from "./api-access";
import { presentCollaborator } from "./presenters";

function collaboratorsOf(context: ApiContext, app: SimApp) {
  const owner = context.world.accounts.get(app.ownerId);
  const others = [...app.collaborators.values()].map((collaborator) =>
    presentCollaborator(app, context.world.accounts.get(collaborator.accountId), collaborator),
  );
  return [presentCollaborator(app, owner, null), ...others];
}

/** The collaborator named in the path, by its id or its user's email or id. */
function findCollaborator(context: ApiContext, app: SimApp, identity: string) {
  const wanted = identity.toLowerCase();
  const found = collaboratorsOf(context, app).find(
    (entry) => entry.id === identity || entry.user.id === identity || entry.user.email.toLowerCase() === wanted,
  );
  if (!found) throw herokuErrors.notFound("Couldn't find that collaborator.");
  return found;
}

/** GET /apps/{app}/collaborators */
export const listCollaborators: ApiRoute = {
  scope: "read",
  handle: (context) => json(200, collaboratorsOf(context, requireApp(context, param(context, "app")))),
};

/** GET /apps/{app}/collaborators/{collaborator} */
export const getCollaborator: ApiRoute = {
  scope: "read",
  handle: (context) => {
    const app = requireApp(context, param(context, "app"));
    return json(200, findCollaborator(context, app, param(context, "collaborator")));
  },
};

const createSchema = z.object({ user: z.string().min(1), silent: z.boolean().optional() }).strict();

/** POST /apps/{app}/collaborators: the owner or a collaborator adds an account by email or id. */
export const createCollaborator: ApiRoute = {
  scope: "write",
  handle: (context) => {
    const app = requireApp(context, param(context, "app"));
    const parsed = createSchema.safeParse(context.body);
    if (!parsed.success) throw herokuErrors.invalidParams("user: an account email or id is required.");
    const account = context.world.accounts.find(parsed.data.user);
    if (!account) throw herokuErrors.notFound("Couldn't find that user.");
    if (account.id === app.ownerId) throw herokuErrors.invalidParams(`${account.email} already owns ${app.name}.`);
    const collaborator = context.world.addCollaborator(app.id, account.id);
    return json(201, presentCollaborator(app, account, collaborator));
  },
};

/** DELETE /apps/{app}/collaborators/{collaborator}: the owner cannot be removed. */
export const deleteCollaborator: ApiRoute = {
  scope: "write",
  handle: (context) => {
    const app = requireApp(context, param(context, "app"));
    const found = findCollaborator(context, app, param(context, "collaborator"));
    if (found.role === "owner") throw herokuErrors.forbidden("The app's owner cannot be removed as a collaborator.");
    context.world.removeCollaborator(app.id, found.user.id);
    return json(200, found);
  },
};
