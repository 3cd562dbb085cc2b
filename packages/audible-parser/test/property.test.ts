import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExportText } from '../src/index.js';
import type { ParseResult } from '../src/index.js';
import { fixture } from './helpers.js';

const FIXTURES = [
  ['audible-cli', 'library.tsv'],
  ['audible-cli', 'library.csv'],
  ['audible-cli', 'library.json'],
  ['audible-cli', 'wishlist.tsv'],
  ['libation', 'libation-export-en-us.csv'],
  ['libation', 'libation-export-de-semicolon-old-headers.csv'],
  ['libation', 'libation-export.json'],
  ['openaudible', 'openaudible-library.csv'],
  ['openaudible', 'books.json'],
  ['audible-api', 'library-response.json'],
  ['series-metadata', 'series-metadata.json'],
].map(([dir, name]) => ({ name: name!, text: readFileSync(fixture(dir!, name!), 'utf8') }));

/** Never a throw: a Result whose every issue names the file and a line or a JSON path. */
function checkResult(result: ParseResult, fileName: string): void {
  expect(typeof result.success).toBe('boolean');
  const issues = result.success ? result.value.invalid : result.error.issues;
  if (!result.success) expect(issues.length).toBeGreaterThan(0);
  for (const issue of issues) {
    expect(issue.file).toBe(fileName);
    expect(issue.line !== undefined || issue.path !== undefined).toBe(true);
    if (issue.line !== undefined) expect(issue.line).toBeGreaterThanOrEqual(1);
    expect(issue.message).not.toBe('');
  }
}

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; char: string }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete-range'; at: number; length: number }
  | { kind: 'duplicate-line'; line: number }
  | { kind: 'remove-line'; line: number }
  | { kind: 'duplicate-column'; column: number }
  | { kind: 'remove-column'; column: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), char: fc.constantFrom('"', '\t', ',', ';', '\n', '\r', '{', '}', '[', ']', ':', '\u0000', 'x', '9', '\uFEFF', '\\') }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom('"', '""', '"\n', '\t"', ',"', '__proto__', '{"__proto__":{"polluted":1}}', 'null', '-1', '1e999'), fc.string({ maxLength: 8 })) }),
  fc.record({ kind: fc.constant('delete-range' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('remove-line' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-column' as const), column: fc.nat() }),
  fc.record({ kind: fc.constant('remove-column' as const), column: fc.nat() }),
);

function applyMutation(text: string, m: Mutation): string {
  const at = (n: number) => (text.length === 0 ? 0 : n % text.length);
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, at(m.at));
    case 'flip':
      return text.slice(0, at(m.at)) + m.char + text.slice(at(m.at) + 1);
    case 'insert':
      return text.slice(0, at(m.at)) + m.text + text.slice(at(m.at));
    case 'delete-range':
      return text.slice(0, at(m.at)) + text.slice(at(m.at) + m.length);
    case 'duplicate-line':
    case 'remove-line': {
      const lines = text.split('\n');
      const i = m.line % lines.length;
      if (m.kind === 'duplicate-line') lines.splice(i, 0, lines[i]!);
      else lines.splice(i, 1);
      return lines.join('\n');
    }
    case 'duplicate-column':
    case 'remove-column': {
      // Naive split on the file's likely delimiter: quoted fields may be cut, which is fine here.
      const delimiter = text.includes('\t') ? '\t' : text.split('\n')[0]!.includes(';') ? ';' : ',';
      return text
        .split('\n')
        .map((line) => {
          const cells = line.split(delimiter);
          const i = m.column % Math.max(1, cells.length);
          if (m.kind === 'duplicate-column') cells.splice(i, 0, cells[i] ?? '');
          else cells.splice(i, 1);
          return cells.join(delimiter);
        })
        .join('\n');
    }
  }
}

describe('never an unhandled exception', () => {
  it('random text of any kind', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 400 }), fc.boolean(), async (text, skipInvalid) => {
        checkResult(await parseExportText(text, 'random.txt', { skipInvalid }), 'random.txt');
      }),
      { numRuns: 300 },
    );
  });

  it('random text with a known header in front', async () => {
    const headers = FIXTURES.filter((f) => !f.name.endsWith('.json')).map((f) => f.text.split('\n')[0]!);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...headers), fc.string({ maxLength: 300 }), async (header, body) => {
        checkResult(await parseExportText(`${header}\n${body}`, 'header.csv'), 'header.csv');
      }),
      { numRuns: 300 },
    );
  });

  it('random mutations of valid fixtures (truncate, flip, inject quotes, duplicate or remove lines and columns)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FIXTURES), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), fc.boolean(), async (f, mutations, skipInvalid) => {
        const text = mutations.reduce(applyMutation, f.text);
        checkResult(await parseExportText(text, f.name, { skipInvalid }), f.name);
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      }),
      { numRuns: 400 },
    );
  });

  it('random JSON values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        checkResult(await parseExportText(JSON.stringify(value), 'random.json'), 'random.json');
      }),
      { numRuns: 300 },
    );
  });

  it('random arrays of flat objects under the formats\' own keys', async () => {
    const keys = ['asin', 'title', 'authors', 'series_title', 'series_sequence', 'is_finished', 'percent_complete', 'runtime_length_min', 'purchase_date', 'AudibleProductId', 'Title', 'SeriesOrder', 'DateAdded', 'IsFinished', 'series', 'listening_status', 'author', 'series_name', '__proto__', 'constructor'];
    const value = fc.oneof(fc.string({ maxLength: 12 }), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('B0AAAAAA01', 'True', '2024-01-02', '1-3'), fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 2 }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 8 }), { minLength: 1, maxLength: 5 }), fc.boolean(), async (items, skipInvalid) => {
        const text = JSON.stringify(items);
        checkResult(await parseExportText(text, 'items.json', { skipInvalid }), 'items.json');
        checkResult(await parseExportText(JSON.stringify({ items }), 'api.json', { skipInvalid }), 'api.json');
      }),
      { numRuns: 300 },
    );
  });

  it('every explicit format on every fixture', async () => {
    const formats = ['audible-cli-tsv', 'audible-cli-csv', 'audible-cli-json', 'audible-cli-wishlist', 'libation-csv', 'libation-json', 'openaudible-csv', 'openaudible-json', 'audible-api-json', 'sagasync-series-metadata'] as const;
    for (const f of FIXTURES) {
      for (const format of formats) checkResult(await parseExportText(f.text, f.name, { format }), f.name);
    }
  });
});
