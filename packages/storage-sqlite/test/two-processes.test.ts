import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SagaSyncError } from '@sagasync/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../src/index.js';
import { startStoreChild } from './child-process.js';

interface Summary {
  committed: number;
  locked: number;
  lockedMessage: string;
}

function integrity(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

async function summaryOf(child: ReturnType<typeof startStoreChild>): Promise<Summary> {
  const exit = await child.exited;
  expect(exit.code, exit.stderr).toBe(0);
  return JSON.parse(exit.stdout.trim()) as Summary;
}

describe('two processes on one store', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sagasync-lock-'));
    path = join(dir, 'store.db');
    // Created and migrated up front, so the children race on writes rather than on creation.
    await openSqliteStorage({ path }).close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('two imports at once are serialised: both commit everything, nothing is corrupted', async () => {
    const batches = 15;
    const size = 400;
    const first = startStoreChild(['write-batches', path, 'C', String(batches), String(size), '20000']);
    const second = startStoreChild(['write-batches', path, 'D', String(batches), String(size), '20000']);
    const [a, b] = await Promise.all([summaryOf(first), summaryOf(second)]);
    expect(a).toMatchObject({ committed: batches, locked: 0 });
    expect(b).toMatchObject({ committed: batches, locked: 0 });
    expect(integrity(path)).toBe('ok');
    const store = openSqliteStorage({ path });
    expect(await store.countTitles('local')).toBe(2 * batches * size);
    await store.close();
  }, 120_000);

  it('a writer with a short timeout either commits a batch whole or fails with store_locked', async () => {
    const batches = 15;
    const size = 400;
    const patient = startStoreChild(['write-batches', path, 'C', String(batches), String(size), '20000']);
    const hasty = startStoreChild(['write-batches', path, 'D', String(batches), String(size), '1']);
    const [a, b] = await Promise.all([summaryOf(patient), summaryOf(hasty)]);
    expect(a.committed).toBe(batches);
    expect(b.committed + b.locked).toBe(batches);
    if (b.locked > 0) expect(b.lockedMessage).toBe(`the SagaSync store ${path} is busy: another process is writing to it`);
    expect(integrity(path)).toBe('ok');
    const store = openSqliteStorage({ path });
    expect(await store.countTitles('local')).toBe((a.committed + b.committed) * size);
    await store.close();
  }, 120_000);

  it('fails with store_locked after busyTimeoutMs while another process holds the write lock', async () => {
    const holder = startStoreChild(['hold-lock', path]);
    await holder.waitFor('locked');
    const store = openSqliteStorage({ path, busyTimeoutMs: 300 });
    const started = Date.now();
    const error = await store.applyBatch('local', [{ op: 'putSetting', key: 'mine', value: 1 }]).catch((caught: unknown) => caught);
    const waited = Date.now() - started;
    expect(SagaSyncError.isInstance(error) && error.code).toBe('store_locked');
    expect((error as Error).message).toBe(`the SagaSync store ${path} is busy: another process is writing to it`);
    expect((error as SagaSyncError).details.reason).toBe('store_busy');
    expect(waited).toBeGreaterThanOrEqual(250);
    // Reads do not wait for the writer (WAL), and see only committed data.
    expect(await store.getSetting('local', 'held')).toBeNull();
    holder.send('release');
    await holder.exited;
    expect(await store.getSetting('local', 'held')).toBe(true);
    expect(await store.getSetting('local', 'mine')).toBeNull();
    await store.close();
  }, 60_000);

  it('waits for the lock within busyTimeoutMs and then commits', async () => {
    const holder = startStoreChild(['hold-lock', path]);
    await holder.waitFor('locked');
    // Prove the lock is held as the batch starts: a writer that will not wait is refused.
    const probe = new Database(path, { timeout: 0 });
    expect(() => probe.exec('BEGIN IMMEDIATE')).toThrow(/locked|busy/);
    probe.close();
    const store = openSqliteStorage({ path, busyTimeoutMs: 30_000 });
    // The batch blocks this thread while it waits, so the holder times its own release.
    holder.send('release 500');
    const started = Date.now();
    await store.applyBatch('local', [{ op: 'putSetting', key: 'mine', value: 1 }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect((await holder.exited).stdout).toContain('released');
    expect(await store.getSetting('local', 'mine')).toBe(1);
    expect(await store.getSetting('local', 'held')).toBe(true);
    await store.close();
  }, 60_000);
});
