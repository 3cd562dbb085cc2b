import { join } from 'node:path';
import { listBooksRoute, listConflictsRoute, listSeriesRoute, progressEventRoute, progressHistoryRoute, recomputeSeriesRoute, showSeriesRoute, StatusSchema, type AnyRoute } from '@sagasync/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { examples, run, scratch } from './harness.js';

/**
 * The CLI calls the API's handlers: a command's `--json` output is its route's response body.
 * Each body is parsed with the route's own schema, and parsing must keep it exactly (zod drops
 * keys a schema does not know, so an extra or renamed field shows here).
 */
function expectBody(schema: z.ZodType, body: unknown): void {
  const parsed = schema.safeParse(body);
  expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
  expect(parsed.data).toEqual(body);
}
const ok = (route: AnyRoute) => route.responses[200]!;

describe('--json output is the route response body', () => {
  const s = scratch();
  beforeAll(async () => {
    expect((await run(['import', join(examples, 'library.tsv'), '--commit'], { store: s.store })).code).toBe(0);
    expect((await run(['import', join(examples, 'series-metadata.json'), '--commit'], { store: s.store })).code).toBe(0);
  });
  afterAll(() => s.cleanup());

  const cases: [string, string[], z.ZodType][] = [
    ['books list', ['books', 'list', '--json'], ok(listBooksRoute)],
    ['books list --status', ['books', 'list', '--status', 'finished', '--json'], ok(listBooksRoute)],
    ['series list', ['series', 'list', '--json'], ok(listSeriesRoute)],
    ['series show', ['series', 'show', 'the ember throne', '--json'], ok(showSeriesRoute)],
    ['progress finish', ['progress', 'finish', 'B0DEMO0004', '--json'], ok(progressEventRoute)],
    ['progress history', ['progress', 'history', 'B0DEMO0004', '--json'], ok(progressHistoryRoute)],
    ['series recompute', ['series', 'recompute', '--json'], ok(recomputeSeriesRoute)],
    ['status', ['status', '--json'], StatusSchema],
    ['conflicts list', ['conflicts', 'list', '--all', '--json'], ok(listConflictsRoute)],
  ];
  for (const [name, args, schema] of cases) {
    it(name, async () => {
      const result = await run(args, { store: s.store });
      expect(result.code, result.stderr).toBe(0);
      expectBody(schema, result.json());
    });
  }

  it('an unknown series is exit 1 with the names it might have meant', async () => {
    const result = await run(['series', 'show', 'Ember Thorn'], { store: s.store });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('did you mean "The Ember Throne"');
  });
});
