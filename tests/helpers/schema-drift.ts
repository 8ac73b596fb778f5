import type { ExpectedColumn } from "./prisma-schema";
import type { ActualColumn } from "./database";

/** Every way the database differs from schema.prisma, one readable line each. */
export function findDrift(expected: ExpectedColumn[], actual: ActualColumn[]): string[] {
  const problems: string[] = [];
  const actualByKey = new Map(actual.map((c) => [`${c.table}.${c.column}`, c]));
  const expectedKeys = new Set(expected.map((c) => `${c.table}.${c.column}`));
  const expectedTables = new Set(expected.map((c) => c.table));

  for (const column of expected) {
    const found = actualByKey.get(`${column.table}.${column.column}`);
    const name = `${column.model}.${column.field} (${column.table}.${column.column})`;
    if (!found) {
      problems.push(`${name}: column missing`);
      continue;
    }
    if (found.type !== column.type) problems.push(`${name}: type ${found.type}, schema says ${column.type}`);
    if (found.nullable !== column.nullable) {
      problems.push(`${name}: ${found.nullable ? "nullable" : "NOT NULL"}, schema says ${column.nullable ? "optional" : "required"}`);
    }
  }
  for (const column of actual) {
    if (!expectedTables.has(column.table)) problems.push(`table ${column.table} is not in schema.prisma`);
    else if (!expectedKeys.has(`${column.table}.${column.column}`)) {
      problems.push(`${column.table}.${column.column}: column not in schema.prisma`);
    }
  }
  return [...new Set(problems)];
}
