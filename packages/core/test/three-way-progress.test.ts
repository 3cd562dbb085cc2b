import { createMemoryStorage } from '@sagasync/storage';
import { describe, expect, it } from 'vitest';
import { applyListeningEvent, importLibrary, type LibraryRecords, type ProgressReport, type StoragePort, type UseCaseDeps } from '../src/index.js';

// Progress merges three ways: each source against what it said last; when two changed, the later
// event wins, a tie goes to the person, and the value that lost stays in the history.

const OWNER = 'local';
const ASIN = 'B0ABADDON1';
let clockMs = Date.parse('2026-11-01T10:00:00.000Z');
const clock = () => new Date((clockMs += 60_000));

const file = (progress: ProgressReport[]): LibraryRecords => ({
  titles: [{ asin: ASIN, title: "Abaddon's Gate", authors: ['James S. A. Corey'], narrators: [], owned: true, series: [] }],
  series: [],
  progress,
});

async function store(): Promise<{ deps: UseCaseDeps; storage: StoragePort }> {
  const storage = await createMemoryStorage();
  return { storage, deps: { storage, ownerId: OWNER, clock } };
}
const historyOf = async (storage: StoragePort) => (await storage.listHistory(OWNER, ASIN)).items;

describe('three-way progress merge', () => {
  it('a stale export re-imported after progress reset leaves the reset alone', async () => {
    const { storage, deps } = await store();
    await importLibrary(deps, file([{ asin: ASIN, percentComplete: 100, isFinished: true }]), { commit: true, source: 'library.tsv' });
    // What the file said is the progress row itself: an import writes no baseline of its own.
    expect(await storage.listBaselines(OWNER, ASIN)).toEqual([]);
    expect(await storage.getProgress(OWNER, ASIN)).toMatchObject({ changedBy: 'file', percentComplete: 100, isFinished: true });
    await applyListeningEvent(deps, { asin: ASIN, kind: 'reset', source: 'manual' });
    // The reset displaces the file's value: now it is a stored baseline.
    expect((await storage.listBaselines(OWNER, ASIN)).map((b) => [b.source, b.value])).toEqual([['file', { percentComplete: 100, isFinished: true, finishedAt: null, lastPositionMs: null }]]);
    const again = await importLibrary(deps, file([{ asin: ASIN, percentComplete: 100, isFinished: true }]), { commit: true, source: 'library.tsv' });
    expect((await storage.getProgress(OWNER, ASIN))?.status).toBe('not_started');
    expect(again.summary.progress.updated).toBe(0);
    expect(again.notes.join('\n')).toMatch(/unchanged since this source's last import/);
    // A newer export that does say something new applies.
    await importLibrary(deps, file([{ asin: ASIN, percentComplete: 30 }]), { commit: true });
    expect((await storage.getProgress(OWNER, ASIN))?.percentComplete).toBe(30);
  });

  it('a row keeps what the source said only where its own fields do not (a finish reported at 97 %)', async () => {
    const { storage, deps } = await store();
    await importLibrary(deps, file([{ asin: ASIN, percentComplete: 97, isFinished: true }]), { commit: true });
    expect(await storage.getProgress(OWNER, ASIN)).toMatchObject({ percentComplete: 100, changedValue: { percentComplete: 97, isFinished: true } });
    await applyListeningEvent(deps, { asin: ASIN, kind: 'reset', source: 'manual' });
    const again = await importLibrary(deps, file([{ asin: ASIN, percentComplete: 97, isFinished: true }]), { commit: true });
    expect(again.summary.progress.updated).toBe(0);
    expect((await storage.getProgress(OWNER, ASIN))?.status).toBe('not_started');
  });

  it('a finish a file reports has no invented finish date, the same after every re-import', async () => {
    const { storage, deps } = await store();
    await importLibrary(deps, file([{ asin: ASIN, isFinished: true }]), { commit: true });
    const first = await storage.getProgress(OWNER, ASIN);
    await importLibrary(deps, file([{ asin: ASIN, isFinished: true }]), { commit: true });
    expect(first?.finishedAt).toBeNull();
    expect(await storage.getProgress(OWNER, ASIN)).toEqual(first);
    // The history still says when SagaSync saw it.
    expect((await historyOf(storage)).map((h) => h.event)).toEqual(['finished']);
  });

  it('a Notion edit older than a local change loses to it and stays in the history', async () => {
    const { storage, deps } = await store();
    await importLibrary(deps, file([{ asin: ASIN, percentComplete: 40 }]), { commit: true });
    const notionEditedAt = new Date(clockMs + 60_000).toISOString().replace(/:\d\d\.\d{3}Z$/, ':00.000Z');
    clockMs += 5 * 60_000;
    await applyListeningEvent(deps, { asin: ASIN, kind: 'started', percent: 10, source: 'manual' });
    const result = await applyListeningEvent(deps, { asin: ASIN, kind: 'finished', at: notionEditedAt, source: 'notion' });
    expect(result.changed).toBe(false);
    const progress = await storage.getProgress(OWNER, ASIN);
    expect(progress).toMatchObject({ status: 'in_progress', percentComplete: 10, changedBy: 'manual' });
    // History is ordered by event time: the lost edit sits where it happened.
    const lost = (await historyOf(storage)).find((h) => h.event === 'superseded');
    expect(lost).toMatchObject({ event: 'superseded', source: 'notion', toStatus: 'finished', at: notionEditedAt });
  });

  it('a Notion edit newer than the local change wins', async () => {
    const { storage, deps } = await store();
    await importLibrary(deps, file([{ asin: ASIN, percentComplete: 40 }]), { commit: true });
    await applyListeningEvent(deps, { asin: ASIN, kind: 'started', percent: 10, source: 'manual' });
    const later = new Date(clockMs + 10 * 60_000).toISOString();
    await applyListeningEvent(deps, { asin: ASIN, kind: 'finished', at: later, source: 'notion' });
    expect(await storage.getProgress(OWNER, ASIN)).toMatchObject({ status: 'finished', changedBy: 'notion', finishedAt: later });
  });

  it('an Audible report observed before a manual change loses; one observed after wins', async () => {
    const { storage, deps } = await store();
    await importLibrary(deps, file([{ asin: ASIN, percentComplete: 20 }]), { commit: true });
    await applyListeningEvent(deps, { asin: ASIN, kind: 'finished', source: 'manual' });
    const manualAt = (await storage.getProgress(OWNER, ASIN))!.changedAt!;
    const before = new Date(Date.parse(manualAt) - 30 * 60_000).toISOString();
    const sync = (percent: number, observedAt: string) =>
      importLibrary(deps, file([{ asin: ASIN, percentComplete: percent, isFinished: false, observedAt }]), { commit: true, kind: 'audible_sync', progressSource: 'sync', source: 'me@example.com' });
    const lost = await sync(35, before);
    expect(lost.notes.join('\n')).toMatch(/kept in the history only/);
    expect((await storage.getProgress(OWNER, ASIN))?.status).toBe('finished');
    expect((await historyOf(storage)).find((h) => h.event === 'superseded')).toMatchObject({ source: 'sync', toPercent: 35 });
    // Its baseline is recorded: the same report again writes nothing more.
    const again = await sync(35, before);
    expect(again.summary.progress.updated).toBe(0);
    expect((await historyOf(storage)).filter((h) => h.event === 'superseded')).toHaveLength(1);
    expect((await storage.listBaselines(OWNER, ASIN)).map((b) => b.source)).toEqual(['audible:me@example.com', 'file']);
  });

  it('a tie goes to the person', async () => {
    const { storage, deps } = await store();
    await importLibrary(deps, file([{ asin: ASIN, percentComplete: 20 }]), { commit: true });
    const at = '2026-11-20T12:00:00.000Z';
    await applyListeningEvent(deps, { asin: ASIN, kind: 'finished', at, source: 'notion' });
    const result = await applyListeningEvent(deps, { asin: ASIN, kind: 'progress', percent: 50, at, source: 'webhook' });
    expect(result.changed).toBe(false);
    expect((await storage.getProgress(OWNER, ASIN))?.changedBy).toBe('notion');
  });
});
