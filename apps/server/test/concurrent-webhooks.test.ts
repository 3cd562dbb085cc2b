import { join } from 'node:path';
import { parseExportFile } from '@sagasync/audible-parser';
import { describe, expect, it } from 'vitest';
import { call, serverFor, signWebhook, type Backend } from './harness.js';

const examples = join(import.meta.dirname, '../../../examples');

// Two of anything at once: webhooks from several devices land while a library import (what a sync
// applies) writes the same title; each is a separate request, and none may be lost.
describe.each<Backend>(['sqlite', 'postgres'])('50 concurrent webhooks for one title on %s', (backend) => {
  const server = serverFor(backend);

  it('during an import of the library lose no update: the history shows all of them', async () => {
    const dana = await server.addUser(`dana-${backend}`);
    const parsed = await parseExportFile(join(examples, 'library.tsv'));
    if (!parsed.success) throw new Error('example does not parse');
    const records = parsed.value.records;
    const first = await call(server.url, 'POST', '/api/import', { token: dana.token, body: { records, commit: true } });
    expect(first.status, JSON.stringify(first.json)).toBeLessThan(300);
    const touched = new Set(records.progress.filter((p) => p.isFinished || (p.percentComplete ?? 0) > 0).map((p) => p.asin));
    const asin = records.titles.find((t) => t.owned && !touched.has(t.asin))!.asin;

    // The library again with a changed title, so the import really writes while the webhooks run.
    const changed = { ...records, titles: records.titles.map((t) => (t.asin === asin ? { ...t, title: `${t.title} (Unabridged)` } : t)) };
    const percents = Array.from({ length: 50 }, (_, i) => i + 1);
    const [imported, ...answers] = await Promise.all([
      call(server.url, 'POST', '/api/import', { token: dana.token, body: { records: changed, commit: true } }),
      ...percents.map((percent) => {
        const body = JSON.stringify({ asin, percent });
        return call(server.url, 'POST', '/webhook/started', { token: dana.token, raw: body, headers: signWebhook(dana.webhookSecret, body) });
      }),
    ]);
    expect(imported!.status, JSON.stringify(imported!.json)).toBeLessThan(300);
    expect(answers.map((a) => a.status)).toEqual(percents.map(() => 200));

    const history = await call(server.url, 'GET', `/api/progress/${asin}/history?limit=500`, { token: dana.token });
    const fromWebhooks = history.json.items.filter((e: { source: string }) => e.source === 'webhook');
    expect(fromWebhooks).toHaveLength(50);
    expect(new Set(fromWebhooks.map((e: { toPercent: number }) => e.toPercent))).toEqual(new Set(percents));
    const book = await call(server.url, 'GET', `/api/books?limit=100`, { token: dana.token });
    expect(book.json.items.find((b: { asin: string }) => b.asin === asin).title).toMatch(/\(Unabridged\)$/);
  });
});
