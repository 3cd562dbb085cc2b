import { describe, expect, it } from 'vitest';
import { checkDatabases, type DataSourceSchema } from './check-databases.js';
import { BOOKS_PROPERTIES, SERIES_PROPERTIES } from './definitions.js';

function schemaFrom(id: string, defs: typeof BOOKS_PROPERTIES, relationTarget: string): DataSourceSchema {
  return {
    id,
    properties: Object.fromEntries(
      defs.map((d, i) => [
        d.name,
        {
          id: `p${i}`,
          type: d.type,
          ...(d.type === 'select' ? { select: { options: (d.options ?? []).map((name) => ({ name })) } } : {}),
          ...(d.type === 'relation' ? { relation: { data_source_id: relationTarget } } : {}),
        },
      ]),
    ),
  };
}

describe('checkDatabases', () => {
  it('accepts the schema setup creates', () => {
    expect(checkDatabases(schemaFrom('b', BOOKS_PROPERTIES, 's'), schemaFrom('s', SERIES_PROPERTIES, 'b'))).toEqual([]);
  });

  it('says exactly which property is missing, has the wrong type or relates to the wrong table', () => {
    const books = schemaFrom('b', BOOKS_PROPERTIES, 'elsewhere');
    delete books.properties['Progress %'];
    books.properties.ASIN = { id: 'x', type: 'number' };
    books.properties.Status = { id: 'y', type: 'select', select: { options: [{ name: 'Finished' }] } };
    const issues = checkDatabases(books, schemaFrom('s', SERIES_PROPERTIES, 'b'));
    expect(issues.map((i) => i.message)).toEqual([
      'Books: property "ASIN" has type number, expected rich_text',
      'Books: relation "Series" points at data source elsewhere, expected the Series data source s',
      'Books: select "Status" has no option "Not started" (it will be added on first use)',
      'Books: select "Status" has no option "In progress" (it will be added on first use)',
      'Books: property "Progress %" is missing (expected type number)',
    ]);
  });
});
