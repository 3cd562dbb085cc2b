import { describe, expect, it } from 'vitest';
import { DELETED_KINDS, describePlan, describeSummary, isResetSetting, libraryTableName, planReset, type OwnerInventory, type ResetSummary } from '../src/reset/plan-reset.js';

const inventory = (deletes: Partial<OwnerInventory['deletes']> = {}): OwnerInventory => ({
  deletes: { ...Object.fromEntries(DELETED_KINDS.map((kind) => [kind, 0])), baselines: null, ...deletes } as OwnerInventory['deletes'],
  keeps: { settings: ['notion.databases', 'rules'], credentials: 1, decisions: 0, syncRuns: 3 },
});

const input = (overrides: Partial<Parameters<typeof planReset>[0]> = {}): Parameters<typeof planReset>[0] => ({
  target: { stage: 'dev', table: libraryTableName('dev'), region: 'eu-west-1', user: { id: 'u-1', name: 'alice' } },
  inventory: inventory({ titles: 1200, series: 80, progress: 900, history: 2400, mirrorRecords: 1280 }),
  notion: { configured: true, trashed: { books: 1200, series: 79 }, released: 1 },
  export: { file: 'library.tsv', formatLabel: 'audible-cli library export (TSV)', rows: 1210, titles: 1210, series: 81, progress: 1210, invalidRows: 0 },
  notionToken: true,
  notionSecretId: 'notion/internal-token',
  ...overrides,
});

describe('planReset', () => {
  it('names the stage table as the original named its tables', () => {
    expect(libraryTableName('dev')).toBe('SagaSync-dev-Library');
  });

  it('plans the four steps, counting what goes and saying what stays', () => {
    const plan = planReset(input());
    expect(plan.blockers).toEqual([]);
    expect(plan.steps.map((s) => [s.step, s.skipped])).toEqual([
      ['notion', false],
      ['empty', false],
      ['import', false],
      ['series', false],
    ]);
    const lines = describePlan(plan);
    expect(lines[0]).toBe('Reset of user "alice" (u-1) on stage dev: table SagaSync-dev-Library in eu-west-1');
    expect(lines[1]).toBe("  1. archive SagaSync's Notion pages: move 1,200 book pages and 79 series pages to the Notion trash; stop mirroring 1 page of the user's own (left in place)");
    // The mirror records go with their pages in step 1, not in step 2.
    expect(lines[2]).toBe("  2. empty the owner's library: delete 80 series, 2,400 listening history entries, 900 progress rows, 1,200 titles, and the titles' progress baselines");
    expect(lines[3]).toContain('library.tsv (audible-cli library export (TSV), 1,210 rows): 1,210 titles, 81 series, 1,210 progress rows');
    expect(lines[5]).toBe('  Kept: 2 settings (notion.databases, rules); 1 stored credential; 0 match decisions; the sync-run log (3 runs); the user, API tokens, Audible accounts and schedule in the directory.');
  });

  it('skips Notion when no databases are set up, and then deletes stray mirror records itself', () => {
    const plan = planReset(input({ notion: { configured: false, trashed: { books: 0, series: 0 }, released: 0 }, inventory: inventory({ mirrorRecords: 1, titles: 2 }) }));
    expect(plan.steps[0]).toMatchObject({ skipped: true, action: 'skipped: no Notion databases are set up for this user' });
    expect(plan.steps[1]!.action).toBe("delete 1 Notion mirror record, 2 titles, and the titles' progress baselines");
  });

  it('will not start without the Notion token the archive needs, or with an export of no titles', () => {
    const plan = planReset(input({ notionToken: false, export: { ...input().export, titles: 0 } }));
    expect(plan.blockers).toEqual([
      'the library is mirrored into Notion, but the Notion token secret "notion/internal-token" does not exist or is empty',
      'library.tsv holds no titles: a reset would leave the library empty',
    ]);
    expect(describePlan(plan).at(-1)).toMatch(/^ {2}Cannot reset: library\.tsv holds no titles/);
    // Without Notion set up, no token is needed.
    expect(planReset(input({ notionToken: false, notion: { configured: false, trashed: { books: 0, series: 0 }, released: 0 } })).blockers).toEqual([]);
  });

  it('names a few of the kept settings only', () => {
    const many = { ...inventory(), keeps: { ...inventory().keeps, settings: Array.from({ length: 40 }, (_, i) => `audible.series.${i}`) } };
    expect(planReset(input({ inventory: many })).keeps[0]).toBe('40 settings (audible.series.0, audible.series.1, audible.series.2, audible.series.3, audible.series.4, and 35 more)');
  });

  it('deletes only the Notion mirror run state among the settings', () => {
    expect(['notion.pull', 'notion.push', 'notion.mirror.books', 'notion.mirror.series'].every(isResetSetting)).toBe(true);
    expect(['notion.databases', 'rules', 'audible.sync', 'server.notion-webhook'].some(isResetSetting)).toBe(false);
  });

  it('summarises a finished reset', () => {
    const summary: ResetSummary = {
      notion: { skipped: false, trashed: { books: 2, series: 1 }, released: 0, requests: 3 },
      deleted: { ...(Object.fromEntries(DELETED_KINDS.map((kind) => [kind, 0])) as ResetSummary['deleted']), titles: 2, progress: 1, series: 1 },
      imported: { runId: 'r1', titles: { created: 3, updated: 0, unchanged: 0 }, series: { created: 1, updated: 0, unchanged: 0 }, progress: { created: 1, updated: 0, unchanged: 2 } },
      series: { created: 0, updated: 0, removed: 0, total: 1 },
      elapsedMs: 1234,
    };
    expect(describeSummary(summary)).toEqual([
      'Notion: moved 2 book pages and 1 series page to the trash (3 requests).',
      'Emptied: 1 series, 1 progress row, 2 titles.',
      'Imported: 3 titles created, 0 updated, 0 unchanged; 1 progress row written.',
      'Series: 1 in all (0 created, 0 updated, 0 removed).',
      'Done in 1.2 s. The next Notion push mirrors the new library into the same databases.',
    ]);
    expect(describeSummary({ ...summary, notion: { ...summary.notion, skipped: true } }).at(-1)).toBe('Done in 1.2 s.');
  });
});
