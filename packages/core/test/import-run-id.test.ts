import { createMemoryStorage } from '@sagasync/storage';
import { describe, expect, it } from 'vitest';
import { importLibrary, readSequence, SagaSyncError, type LibraryRecords, type StoragePort, type TitleRecord } from '../src/index.js';

const OWNER = 'local';
const clock = () => new Date('2026-11-01T10:00:00.000Z');
const RUN = '01JRUNIDOFAWORKFLOWJOB0001';

const rec = (asin: string, over: Partial<TitleRecord> = {}): TitleRecord => ({ asin, title: `Title ${asin}`, authors: ['Author'], narrators: [], owned: true, series: [], ...over });
const part = (asins: string[]): LibraryRecords => ({
  titles: asins.map((asin) => rec(asin, { series: [{ seriesKey: 'B0SAGA0000', seriesAsin: 'B0SAGA0000', seriesTitle: 'The Saga', ...readSequence(asin.slice(-1)) }] })),
  series: [],
  progress: asins.map((asin) => ({ asin, percentComplete: 50, observedAt: '2026-10-01T10:00:00.000Z' })),
});

describe('importLibrary runId', () => {
  it('writes the run row under the given id: parts and reruns of one import leave one row', async () => {
    const storage: StoragePort = createMemoryStorage();
    const deps = { storage, ownerId: OWNER, clock };
    const first = await importLibrary(deps, part(['B0SAGA0001', 'B0SAGA0002']), { commit: true, runId: RUN });
    expect(first.runId).toBe(RUN);
    const again = await importLibrary(deps, part(['B0SAGA0001', 'B0SAGA0002']), { commit: true, runId: RUN });
    expect(again.summary.titles).toEqual({ created: 0, updated: 0, unchanged: 2 });
    await importLibrary(deps, part(['B0SAGA0003']), { commit: true, runId: RUN });
    const runs = (await storage.listSyncRuns(OWNER)).items;
    expect(runs.map((r) => r.id)).toEqual([RUN]);
    expect(runs[0]).toMatchObject({ kind: 'import', status: 'succeeded' });
    // Without it, each import is a run of its own.
    await importLibrary(deps, part(['B0SAGA0004']), { commit: true });
    expect((await storage.listSyncRuns(OWNER)).items).toHaveLength(2);
  });

  it('logs a failed part under the same id', async () => {
    const storage = createMemoryStorage();
    const failing: StoragePort = {
      ...storage,
      applyBatch: async (ownerId, operations) => {
        if (operations.some((op) => op.op === 'putTitle')) throw new SagaSyncError('storage_failure', 'the store is down');
        return storage.applyBatch(ownerId, operations);
      },
    };
    await expect(importLibrary({ storage: failing, ownerId: OWNER, clock }, part(['B0SAGA0001']), { commit: true, runId: RUN })).rejects.toThrow('the store is down');
    const runs = (await storage.listSyncRuns(OWNER)).items;
    expect(runs).toEqual([expect.objectContaining({ id: RUN, status: 'failed', error: 'the store is down' })]);
  });
});
