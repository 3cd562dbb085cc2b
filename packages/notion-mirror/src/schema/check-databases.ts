import * as z from 'zod';
import { BOOKS, BOOKS_PROPERTIES, SERIES, SERIES_PROPERTIES, type PropertyDefinition, type TableName } from './definitions.js';

/** The part of a data source (GET /v1/data_sources/:id) the check relies on. */
export const DataSourceSchemaSchema = z.object({
  id: z.string(),
  properties: z.record(
    z.string(),
    z
      .object({
        id: z.string(),
        type: z.string(),
        select: z.object({ options: z.array(z.object({ name: z.string() })) }).optional(),
        status: z.object({ options: z.array(z.object({ name: z.string() })) }).passthrough().optional(),
        relation: z.object({ data_source_id: z.string() }).passthrough().optional(),
      })
      .passthrough(),
  ),
});
export type DataSourceSchema = z.infer<typeof DataSourceSchemaSchema>;

export interface SchemaIssue {
  table: TableName;
  property: string;
  /**
   * `missing_option`: a select option Notion adds on first use (a note); `missing_status_option`:
   * an option a native status property lacks, which Notion's API cannot add (blocking).
   */
  problem: 'missing' | 'wrong_type' | 'wrong_relation_target' | 'missing_option' | 'missing_status_option';
  expected: string;
  actual: string | null;
  message: string;
}

const normaliseId = (id: string) => id.replace(/-/g, '').toLowerCase();

function checkTable(table: TableName, defs: readonly PropertyDefinition[], ds: DataSourceSchema, relationTarget: string): SchemaIssue[] {
  const label = table === 'books' ? 'Books' : 'Series';
  const issues: SchemaIssue[] = [];
  for (const def of defs) {
    const actual = ds.properties[def.name];
    if (!actual) {
      issues.push({ table, property: def.name, problem: 'missing', expected: def.type, actual: null, message: `${label}: property "${def.name}" is missing (expected type ${def.type})` });
      continue;
    }
    if (def.acceptsStatus && actual.type === 'status') {
      // A native status property: SagaSync writes its options by name, and cannot create them.
      for (const option of def.options ?? []) {
        if (!actual.status?.options.some((o) => o.name === option)) {
          issues.push({
            table,
            property: def.name,
            problem: 'missing_status_option',
            expected: option,
            actual: null,
            message: `${label}: status "${def.name}" has no option "${option}"; Notion's API cannot add status options, so add "${option}" to the property in Notion`,
          });
        }
      }
      continue;
    }
    if (actual.type !== def.type) {
      const expected = def.acceptsStatus ? `${def.type} or status` : def.type;
      issues.push({ table, property: def.name, problem: 'wrong_type', expected: def.type, actual: actual.type, message: `${label}: property "${def.name}" has type ${actual.type}, expected ${expected}` });
      continue;
    }
    if (def.type === 'relation' && actual.relation && normaliseId(actual.relation.data_source_id) !== normaliseId(relationTarget)) {
      issues.push({
        table,
        property: def.name,
        problem: 'wrong_relation_target',
        expected: relationTarget,
        actual: actual.relation.data_source_id,
        message: `${label}: relation "${def.name}" points at data source ${actual.relation.data_source_id}, expected the ${table === 'books' ? 'Series' : 'Books'} data source ${relationTarget}`,
      });
    }
    // Select options are added by Notion on first use, so a missing one is a note, not a failure.
    for (const option of def.options ?? []) {
      if (!actual.select?.options.some((o) => o.name === option)) {
        issues.push({ table, property: def.name, problem: 'missing_option', expected: option, actual: null, message: `${label}: select "${def.name}" has no option "${option}" (it will be added on first use)` });
      }
    }
  }
  return issues;
}

/**
 * Compares a Books and a Series data source with what SagaSync needs and says exactly which
 * property is missing or has the wrong type. `missing_option` issues are informational.
 */
export function checkDatabases(books: DataSourceSchema, series: DataSourceSchema): SchemaIssue[] {
  return [...checkTable('books', BOOKS_PROPERTIES, books, series.id), ...checkTable('series', SERIES_PROPERTIES, series, books.id)];
}

export const isBlocking = (issue: SchemaIssue): boolean => issue.problem !== 'missing_option';

/** Property ids by name, for webhooks (which report changed properties by id). */
export function propertyIds(ds: DataSourceSchema): Record<string, string> {
  return Object.fromEntries(Object.entries(ds.properties).map(([name, p]) => [name, p.id]));
}

/** The properties of `defs` that are native `status` properties in the data source. */
export function statusPropertyNames(defs: readonly PropertyDefinition[], ds: DataSourceSchema): string[] {
  return defs.filter((d) => d.acceptsStatus && ds.properties[d.name]?.type === 'status').map((d) => d.name);
}

export { BOOKS, SERIES };
