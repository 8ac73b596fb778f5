import { z } from "zod";

const createdAddonSchema = z.looseObject({ id: z.uuid(), name: z.string(), state: z.string() });

/**
 * `heroku addons:create <plan> -a <app>` as the CLI sends it to the Platform API (the sim's,
 * which then calls the partner's Partner API as Heroku does). Throws with Heroku's answer on
 * anything but 201.
 */
export async function createAddonThroughApi(
  apiUrl: string,
  token: string,
  input: { app: string; plan: string },
): Promise<z.infer<typeof createdAddonSchema>> {
  const response = await fetch(`${apiUrl}/apps/${encodeURIComponent(input.app)}/addons`, {
    method: "POST",
    headers: {
      Accept: "application/vnd.heroku+json; version=3",
      Authorization: `Bearer ${token}`,
      "Content-Type": "application/json",
    },
    body: JSON.stringify({ plan: { name: input.plan } }),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST /apps/${input.app}/addons answered ${response.status}: ${text}`);
  return createdAddonSchema.parse(JSON.parse(text));
}
