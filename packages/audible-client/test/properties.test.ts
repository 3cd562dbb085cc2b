import fc from 'fast-check';
import { parseExportText } from '@sagasync/audible-parser';
import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY_POLICY, writeAudibleCliLibrary, type LibraryItem } from '../src/index.js';

describe('properties', () => {
  it('backoff stays within [step/2, step] of a capped doubling schedule, and Retry-After is never shortened', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.option(fc.integer({ min: 0, max: 120_000 })), (retry, r, retryAfter) => {
        const delay = backoffDelay(retry, DEFAULT_RETRY_POLICY, retryAfter, () => r);
        if (retryAfter !== null) {
          expect(delay).toBeGreaterThanOrEqual(retryAfter);
          expect(delay).toBeLessThanOrEqual(Math.round(retryAfter * 1.1));
        } else {
          const step = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** (retry - 1));
          expect(delay).toBeGreaterThanOrEqual(Math.floor(step / 2));
          expect(delay).toBeLessThanOrEqual(step);
        }
      }),
    );
  });

  it('exported CSV cells with commas, quotes and line breaks read back unchanged through the audible-cli importer', async () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'B', ' ', ',', '"', '\n', '\r\n', ';', 'é', '\t', '#'), minLength: 1, maxLength: 30 }).map((s) => `x${s}y`);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ title: text, narrator: text, series: text }), { minLength: 1, maxLength: 5 }), async (rows) => {
        const items: LibraryItem[] = rows.map((row, i) => ({
          asin: `B0PROP${String(i).padStart(4, '0')}`,
          title: row.title,
          narrators: [{ name: row.narrator }],
          series: [{ asin: 'B0PROPSER1', title: row.series, sequence: '2' }],
        }));
        const parsed = await parseExportText(writeAudibleCliLibrary(items), 'library.csv', { format: 'audible-cli-csv' });
        if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues[0]));
        expect(parsed.value.records.titles).toHaveLength(rows.length);
        const byAsin = new Map(parsed.value.records.titles.map((t) => [t.asin, t]));
        rows.forEach((row, i) => {
          const title = byAsin.get(`B0PROP${String(i).padStart(4, '0')}`)!;
          const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
          expect(norm(title.title)).toBe(norm(row.title));
          expect(norm(title.series[0]!.seriesTitle)).toBe(norm(row.series));
        });
      }),
      { numRuns: 60 },
    );
  });
});
