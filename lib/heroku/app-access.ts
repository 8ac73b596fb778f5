import { z } from "zod";
import type { TokenKind } from "@/lib/db/generated/enums";
import { appInfoSchema, platformClient, statusOf } from "@/lib/heroku/platform";
import { getAccessToken, TokenUnavailableError } from "@/lib/heroku/tokens";
import { log } from "@/lib/log";

/** The parts of a collaborator (GET /apps/{app}/collaborators) that Ebbflow reads. */
const collaboratorListSchema = z.array(
  z.looseObject({
    user: z.looseObject({ id: z.uuid(), email: z.string() }),
    role: z.string().nullish(),
  }),
);

export interface AppAccess {
  /** Heroku user ids that may open the app (its owner and collaborators). */
  userIds: Set<string>;
  /** Those among them who own or administer it. */
  ownerIds: Set<string>;
}

/**
 * Who Heroku lets at the app now: the app's owner and its collaborators (Dev Center,
 * "Create an add-on user access list"), asked with the tenant's add-on token first (the
 * Platform API for Partners), then its scaling token. Null when no token can read the app:
 * then nothing is known and nothing should be concluded.
 */
export async function readAppAccess(tenantId: string, herokuAppId: string, kinds: TokenKind[]): Promise<AppAccess | null> {
  for (const kind of kinds) {
    let token: string;
    try {
      token = await getAccessToken(tenantId, kind);
    } catch (error) {
      if (error instanceof TokenUnavailableError) continue;
      throw error;
    }
    try {
      const client = platformClient(token);
      const app = appInfoSchema.parse(await client.get(`/apps/${encodeURIComponent(herokuAppId)}`));
      const collaborators = collaboratorListSchema.parse(await client.get(`/apps/${encodeURIComponent(herokuAppId)}/collaborators`));
      const userIds = new Set(collaborators.map((collaborator) => collaborator.user.id.toLowerCase()));
      const ownerIds = new Set(
        collaborators
          .filter((collaborator) => collaborator.role === "owner" || collaborator.role === "admin")
          .map((collaborator) => collaborator.user.id.toLowerCase()),
      );
      if (app.owner) {
        userIds.add(app.owner.id.toLowerCase());
        ownerIds.add(app.owner.id.toLowerCase());
      }
      return { userIds, ownerIds };
    } catch (error) {
      log.warn({ tenantId, kind, status: statusOf(error), err: error }, "could not read the app's collaborators from Heroku");
    }
  }
  return null;
}
