import { VersionConflictError, type BatchOperation, type StoragePort } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { asinOf, bareTitle, conflictData, progressData, seriesData, T1 } from './fixtures.js';
import { expectFailure, type SuiteContext } from './suite-context.js';

type Versioned = { version: number } & Record<string, unknown>;

/** The four versioned records, described once so each rule is checked for all of them. */
interface VersionedKind {
  entity: string;
  key: string;
  /** A put of the record; `revision` changes a field so updates are visible. */
  put(revision: number, expectedVersion?: number | null): BatchOperation;
  remove?(expectedVersion?: number): BatchOperation;
  read(store: StoragePort, owner: string): Promise<Versioned | null>;
  /** The field `revision` lands in, read back. */
  revisionOf(record: Versioned): unknown;
  /** What `revisionOf` reads after a put of `revision`. */
  revision(revision: number): unknown;
}

const title: VersionedKind = {
  entity: 'title',
  key: asinOf(10),
  put: (revision, expectedVersion) => ({ op: 'putTitle', value: bareTitle(asinOf(10), { title: `rev ${revision}` }), expectedVersion }),
  remove: (expectedVersion) => ({ op: 'deleteTitle', asin: asinOf(10), expectedVersion }),
  read: (store, owner) => store.getTitle(owner, asinOf(10)),
  revisionOf: (record) => record.title,
  revision: (n) => `rev ${n}`,
};
const series: VersionedKind = {
  entity: 'series',
  key: 'title:dune',
  put: (revision, expectedVersion) => ({ op: 'putSeries', value: seriesData('title:dune', { title: `rev ${revision}` }), expectedVersion }),
  remove: (expectedVersion) => ({ op: 'deleteSeries', key: 'title:dune', expectedVersion }),
  read: (store, owner) => store.getSeries(owner, 'title:dune'),
  revisionOf: (record) => record.title,
  revision: (n) => `rev ${n}`,
};
const progress: VersionedKind = {
  entity: 'progress',
  key: asinOf(11),
  put: (revision, expectedVersion) => ({ op: 'putProgress', value: progressData(asinOf(11), { percentComplete: revision }), expectedVersion }),
  read: (store, owner) => store.getProgress(owner, asinOf(11)),
  revisionOf: (record) => record.percentComplete,
  revision: (n) => n,
};
const conflict: VersionedKind = {
  entity: 'conflict',
  key: 'goodreads:77',
  put: (revision, expectedVersion) => ({ op: 'putConflict', value: conflictData('goodreads', '77', { reason: `rev ${revision}` }), expectedVersion }),
  read: (store, owner) => store.getConflict(owner, 'goodreads:77'),
  revisionOf: (record) => record.reason,
  revision: (n) => `rev ${n}`,
};

export function describeVersions(ctx: SuiteContext): void {
  describe('versions and idempotent upserts', () => {
    for (const kind of [title, series, progress, conflict]) {
      describe(kind.entity, () => {
        it('starts at version 1; an unconditional put again is an upsert to version 2 of the same record', async () => {
          const owner = ctx.owner();
          await ctx.store().applyBatch(owner, [kind.put(1)]);
          expect((await kind.read(ctx.store(), owner))?.version).toBe(1);
          await ctx.store().applyBatch(owner, [kind.put(2)]);
          const stored = await kind.read(ctx.store(), owner);
          expect(stored?.version).toBe(2);
          expect(kind.revisionOf(stored!)).toBe(kind.revision(2));
        });

        it('create-only (expectedVersion null) fails on an existing record and leaves it unchanged', async () => {
          const owner = ctx.owner();
          await ctx.store().applyBatch(owner, [kind.put(1, null)]);
          const error = await expectFailure(ctx.store().applyBatch(owner, [kind.put(2, null)]), 'version_conflict');
          expect(error).toBeInstanceOf(VersionConflictError);
          const stored = await kind.read(ctx.store(), owner);
          expect(stored?.version).toBe(1);
          expect(kind.revisionOf(stored!)).toBe(kind.revision(1));
        });

        it('an update with the current version succeeds; with a stale or missing one it fails', async () => {
          const owner = ctx.owner();
          await expectFailure(ctx.store().applyBatch(owner, [kind.put(1, 1)]), 'version_conflict');
          expect(await kind.read(ctx.store(), owner)).toBeNull();
          await ctx.store().applyBatch(owner, [kind.put(1, null)]);
          await ctx.store().applyBatch(owner, [kind.put(2, 1)]);
          const error = await expectFailure(ctx.store().applyBatch(owner, [kind.put(3, 1)]), 'version_conflict');
          expect(error.details).toMatchObject({ expected: 1, actual: 2 });
          const stored = await kind.read(ctx.store(), owner);
          expect(stored?.version).toBe(2);
          expect(kind.revisionOf(stored!)).toBe(kind.revision(2));
        });

        if (kind.remove) {
          const remove = kind.remove;
          it('a delete with a stale version fails; with the current one it deletes', async () => {
            const owner = ctx.owner();
            await ctx.store().applyBatch(owner, [kind.put(1), kind.put(2)]);
            await expectFailure(ctx.store().applyBatch(owner, [remove(1)]), 'version_conflict');
            expect((await kind.read(ctx.store(), owner))?.version).toBe(2);
            await ctx.store().applyBatch(owner, [remove(2)]);
            expect(await kind.read(ctx.store(), owner)).toBeNull();
            await expectFailure(ctx.store().applyBatch(owner, [remove(2)]), 'version_conflict');
            // Unconditional deletes of a missing record are no-ops, so retries are safe.
            await ctx.store().applyBatch(owner, [remove()]);
          });
        }
      });
    }

    it('re-putting identical unversioned records keeps one of each', async () => {
      const owner = ctx.owner();
      const batch: BatchOperation[] = [
        { op: 'putTitle', value: bareTitle(asinOf(12)) },
        { op: 'putSetting', key: 'k', value: 1 },
        { op: 'putCredential', value: { name: 'notion', ciphertext: 'v1.raw..a.b.c', updatedAt: T1 } },
      ];
      await ctx.store().applyBatch(owner, batch);
      await ctx.store().applyBatch(owner, batch);
      expect(await ctx.store().countTitles(owner)).toBe(1);
      expect((await ctx.store().listCredentialNames(owner)).items).toEqual(['notion']);
      expect(await ctx.store().getSetting(owner, 'k')).toBe(1);
    });
  });
}
