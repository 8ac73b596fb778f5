import { z } from "zod";
import { type HerokuSchema, type LoadSchemaOptions, loadHerokuSchema } from "@/sim/schema/heroku-schema";

/**
 * Checks Platform API responses against Heroku's published schema (read from
 * ../shared/heroku/platform-api-schema.json, or HEROKU_SCHEMA_PATH): a 2xx body against the
 * `targetSchema` of the link found by method and href template, an error body against
 * Heroku's `{id, message}` error shape.
 */

const herokuErrorSchema = z.looseObject({ id: z.string().min(1), message: z.string().min(1) });

export function herokuSchema(options: LoadSchemaOptions = {}): HerokuSchema {
  return loadHerokuSchema(options);
}

/** Problems with one response; [] when it matches the schema. */
export function validateHerokuResponse(
  response: { method: string; path: string; status: number; body: unknown; extraProperties?: boolean },
  options: LoadSchemaOptions = {},
): string[] {
  const where = `${response.method} ${response.path} → ${response.status}`;
  if (response.status >= 400) {
    const parsed = herokuErrorSchema.safeParse(response.body);
    return parsed.success ? [] : [`${where}: not a Heroku error body: ${z.prettifyError(parsed.error)}`];
  }
  // An answer with asked-for extras (Accept-Expansion) keeps every rule but strictProperties.
  const schema = herokuSchema(response.extraProperties ? { ...options, strictProperties: false } : options);
  const link = schema.findLink(response.method, response.path);
  if (!link) return [`${where}: no link in the Platform API schema matches`];
  return schema.validateResponse(link, response.body).map((error) => `${where} (${link.definition} ${link.title}): ${error}`);
}

/** Throws with every problem when a response does not match the schema. */
export function expectHerokuResponse(
  response: { method: string; path: string; status: number; body: unknown },
  options: LoadSchemaOptions = {},
): void {
  const problems = validateHerokuResponse(response, options);
  if (problems.length > 0) throw new Error(problems.join("\n"));
}

export interface SchemaRecorder {
  /** Pass as the simulator's `onApiResponse` option. */
  onApiResponse(response: { method: string; path: string; status: number; body: unknown; extraProperties?: boolean }): void;
  /** Responses checked so far. */
  readonly checked: number;
  readonly problems: readonly string[];
  /** Throws if any recorded response did not match the schema. */
  assertAllValid(): void;
}

/** Records and checks every response a simulator (or any other source) reports. */
export function createSchemaRecorder(options: LoadSchemaOptions = {}): SchemaRecorder {
  const problems: string[] = [];
  let checked = 0;
  return {
    onApiResponse(response) {
      checked += 1;
      problems.push(...validateHerokuResponse(response, options));
    },
    get checked() {
      return checked;
    },
    get problems() {
      return problems;
    },
    assertAllValid() {
      if (problems.length > 0) {
        throw new Error(`${problems.length} response(s) did not match Heroku's schema:\n${problems.slice(0, 20).join("\n")}`);
      }
    },
  };
}
