import { describe, expect, it } from 'vitest';
import { checkDatabases, isBlocking, type DataSourceSchema } from './check-databases.js';
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

  it('accepts a native status property for Status when it has every option, and names each one it lacks as blocking', () => {
    const withStatus = (options: string[]) => {
      const books = schemaFrom('b', BOOKS_PROPERTIES, 's');
      books.properties.Status = { id: 'st', type: 'status', status: { options: options.map((name) => ({ name })), groups: [] } };
      return books;
    };
    const series = schemaFrom('s', SERIES_PROPERTIES, 'b');
    expect(checkDatabases(withStatus(['Not started', 'In progress', 'Finished', 'Abandoned']), series)).toEqual([]);
    const issues = checkDatabases(withStatus(['Not started', 'In progress', 'Done']), series);
    expect(issues).toMatchObject([{ table: 'books', property: 'Status', problem: 'missing_status_option', expected: 'Finished' }]);
    expect(issues[0]!.message).toBe(`Books: status "Status" has no option "Finished"; Notion's API cannot add status options, so add "Finished" to the property in Notion`);
    expect(issues.every(isBlocking)).toBe(true);
    // Any other type is still wrong, and the message says what would do.
    const wrong = schemaFrom('b', BOOKS_PROPERTIES, 's');
    wrong.properties.Status = { id: 'st', type: 'multi_select' };
    expect(checkDatabases(wrong, series).map((i) => i.message)).toEqual(['Books: property "Status" has type multi_select, expected select or status']);
  });
});
