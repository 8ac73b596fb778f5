import { readFileSync } from "node:fs";

/**
 * A small reader for the parts of schema.prisma the drift test needs: models, their scalar
 * and enum fields, database names, native types and nullability. Relation fields are skipped
 * (they have no column of their own).
 */
export interface ExpectedColumn {
  model: string;
  table: string;
  field: string;
  column: string;
  /** Postgres type as information_schema reports it: data_type, or the enum's udt_name. */
  type: string;
  nullable: boolean;
}

const scalarTypes: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Boolean: "boolean",
  Float: "double precision",
  Decimal: "numeric",
  DateTime: "timestamp without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};

const nativeTypes: Record<string, string> = {
  Uuid: "uuid",
  Timestamptz: "timestamp with time zone",
  Timestamp: "timestamp without time zone",
  Text: "text",
  VarChar: "character varying",
  Integer: "integer",
  SmallInt: "smallint",
  BigInt: "bigint",
  JsonB: "jsonb",
  Json: "json",
  Date: "date",
};

export function readExpectedColumns(schemaPath: string): ExpectedColumn[] {
  const source = readFileSync(schemaPath, "utf8").replace(/\/\/.*$/gm, "");
  const enums = new Set([...source.matchAll(/^enum\s+(\w+)\s*\{/gm)].map((m) => m[1] as string));
  const models = [...source.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)];
  const modelNames = new Set(models.map((m) => m[1] as string));
  const columns: ExpectedColumn[] = [];

  for (const [, model = "", body = ""] of models) {
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? model;
    for (const line of body.split("\n").map((l) => l.trim())) {
      const match = /^(\w+)\s+(\w+)(\[\])?(\?)?\s*(.*)$/.exec(line);
      if (!match || line.startsWith("@@")) continue;
      const [, field = "", baseType = "", list, optional, attributes = ""] = match;
      if (modelNames.has(baseType)) continue;
      const column = /@map\("([^"]+)"\)/.exec(attributes)?.[1] ?? field;
      const native = /@db\.(\w+)/.exec(attributes)?.[1];
      let type = enums.has(baseType) ? baseType : (native && nativeTypes[native]) ?? scalarTypes[baseType];
      if (!type) throw new Error(`${model}.${field}: type ${baseType} is not known to the drift reader`);
      if (list) type = "ARRAY";
      columns.push({ model, table, field, column, type, nullable: Boolean(optional) });
    }
  }
  return columns;
}
