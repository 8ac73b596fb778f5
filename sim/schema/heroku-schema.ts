import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv, { type ErrorObject, type SchemaValidateFunction, type ValidateFunction } from "ajv";

/**
 * Heroku's published Platform API hyper-schema (draft-04, interagent style), loaded into ajv so
 * that requests to and responses from the simulator can be checked against the real contract.
 * The file lives outside the repository and is read at run time, never copied in.
 */

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const schemaId = "https://api.heroku.com/schema";

/** `HEROKU_SCHEMA_PATH`, or `../shared/heroku/platform-api-schema.json` next to the repository. */
export function defaultSchemaPath(): string {
  return process.env.HEROKU_SCHEMA_PATH ?? path.resolve(repoRoot, "../shared/heroku/platform-api-schema.json");
}

export interface HerokuLink {
  /** The schema definition the link belongs to, e.g. "formation". */
  definition: string;
  index: number;
  method: string;
  /** The href template as published, e.g. `/apps/{(%23...)}/formation`. */
  href: string;
  title: string;
  hasRequestSchema: boolean;
  hasTargetSchema: boolean;
}

interface CompiledLink extends HerokuLink {
  pattern: RegExp;
  placeholders: number;
}

export interface HerokuSchema {
  /** The link whose method and href template match a request path (query string ignored). */
  findLink(method: string, requestPath: string): HerokuLink | undefined;
  /** Validation errors of a request body against the link's `schema`; [] when valid. */
  validateRequest(link: HerokuLink, body: unknown): string[];
  /** Validation errors of a response body against the link's `targetSchema`; [] when valid. */
  validateResponse(link: HerokuLink, body: unknown): string[];
}

export interface LoadSchemaOptions {
  path?: string;
  /**
   * Enforce the interagent `strictProperties` keyword: every listed property present and no
   * others (default true). Turn off to check real Heroku responses, which may add fields.
   */
  strictProperties?: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Drops draft-04 `$schema` and `id` keywords, which ajv (draft-07+) would reject or misread. */
function stripDraft04Ids(node: Json): Json {
  if (Array.isArray(node)) return node.map(stripDraft04Ids);
  if (node === null || typeof node !== "object") return node;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$schema") continue;
    if (key === "id" && typeof value === "string") continue;
    out[key] = stripDraft04Ids(value);
  }
  return out;
}

const formats = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  "date-time": /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  email: /^[^\s@]+@[^\s@]+$/,
  uri: /^[a-z][a-z0-9+.-]*:\S*$/i,
  ipv4: /^(\d{1,3}\.){3}\d{1,3}$/,
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** interagent's strictProperties: all of `properties` required, nothing else allowed. */
const strictPropertiesKeyword: SchemaValidateFunction = (schema, data, parentSchema) => {
  if (schema !== true || !isRecord(data) || !isRecord(parentSchema)) return true;
  const properties = isRecord(parentSchema.properties) ? Object.keys(parentSchema.properties) : [];
  const missing = properties.filter((key) => !(key in data));
  // Keys a `patternProperties` pattern allows are not extra (a dyno's `env`, for one).
  const patterns = isRecord(parentSchema.patternProperties) ? Object.keys(parentSchema.patternProperties).map((p) => new RegExp(p)) : [];
  const extra = Object.keys(data).filter((key) => !properties.includes(key) && !patterns.some((pattern) => pattern.test(key)));
  if (missing.length === 0 && extra.length === 0) return true;
  const parts = [
    missing.length > 0 ? `missing ${missing.join(", ")}` : "",
    extra.length > 0 ? `unexpected ${extra.join(", ")}` : "",
  ].filter(Boolean);
  strictPropertiesKeyword.errors = [{ keyword: "strictProperties", message: parts.join("; "), params: { missing, extra } }];
  return false;
};

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message ?? error.keyword}`);
}

/** `/apps/{(%23%2F...)}/formation` → /^\/apps\/([^/]+)\/formation$/ */
function hrefPattern(href: string): { pattern: RegExp; placeholders: number } {
  let placeholders = 0;
  const source = href
    .split(/(\{[^}]*\})/)
    .map((part) => {
      if (part.startsWith("{")) {
        placeholders += 1;
        return "([^/]+)";
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return { pattern: new RegExp(`^${source}$`), placeholders };
}

class LoadedSchema implements HerokuSchema {
  private readonly ajv: Ajv;
  private readonly links: CompiledLink[] = [];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(raw: Json, strictProperties: boolean) {
    const schema = stripDraft04Ids(raw);
    if (!isRecord(schema) || !isRecord(schema.definitions)) throw new Error("not a Heroku hyper-schema: no definitions");
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false, formats });
    this.ajv.addKeyword({
      keyword: "strictProperties",
      schemaType: "boolean",
      errors: true,
      validate: strictProperties ? strictPropertiesKeyword : () => true,
    });
    this.ajv.addSchema({ ...schema, $id: schemaId });
    for (const [definition, value] of Object.entries(schema.definitions)) {
      if (!isRecord(value) || !Array.isArray(value.links)) continue;
      value.links.forEach((link, index) => {
        if (!isRecord(link) || typeof link.href !== "string" || typeof link.method !== "string") return;
        this.links.push({
          definition,
          index,
          method: link.method.toUpperCase(),
          href: link.href,
          title: typeof link.title === "string" ? link.title : "",
          hasRequestSchema: isRecord(link.schema),
          hasTargetSchema: isRecord(link.targetSchema),
          ...hrefPattern(link.href),
        });
      });
    }
  }

  findLink(method: string, requestPath: string): HerokuLink | undefined {
    const pathOnly = requestPath.split("?")[0] ?? requestPath;
    const candidates = this.links.filter(
      (link) => link.method === method.toUpperCase() && link.pattern.test(pathOnly),
    );
    // A literal segment beats a placeholder: `/account/rate-limits` over `/account/{id}`-style links.
    candidates.sort((a, b) => a.placeholders - b.placeholders);
    return candidates[0];
  }

  validateRequest(link: HerokuLink, body: unknown): string[] {
    if (!link.hasRequestSchema) return [];
    return this.run(link, "schema", body);
  }

  validateResponse(link: HerokuLink, body: unknown): string[] {
    if (!link.hasTargetSchema) return [];
    return this.run(link, "targetSchema", body);
  }

  private run(link: HerokuLink, part: "schema" | "targetSchema", body: unknown): string[] {
    const ref = `${schemaId}#/definitions/${link.definition}/links/${link.index}/${part}`;
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    return validate(body) ? [] : formatErrors(validate.errors);
  }
}

const cache = new Map<string, HerokuSchema>();

/** Loads (once per path and mode) and compiles the Platform API schema. */
export function loadHerokuSchema(options: LoadSchemaOptions = {}): HerokuSchema {
  const schemaPath = options.path ?? defaultSchemaPath();
  const strictProperties = options.strictProperties ?? true;
  const key = `${schemaPath}|${strictProperties}`;
  let loaded = cache.get(key);
  if (!loaded) {
    let text: string;
    try {
      text = readFileSync(schemaPath, "utf8");
    } catch (error) {
      throw new Error(
        `Heroku Platform API schema not found at ${schemaPath}; set HEROKU_SCHEMA_PATH (${String(error)})`,
      );
    }
    loaded = new LoadedSchema(JSON.parse(text) as Json, strictProperties);
    cache.set(key, loaded);
  }
  return loaded;
}
