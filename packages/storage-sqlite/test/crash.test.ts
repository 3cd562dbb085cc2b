import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../src/index.js';
import { startStoreChild } from './child-process.js';

const BATCH = 60_000;

function walSize(path: string): number {
  return existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0;
}

function integrity(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

/** Polls until `condition` holds or `ms` pass; returns whether it held. */
async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return condition();
}

describe('kill -9 during a batch', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sagasync-crash-'));
    path = join(dir, 'store.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // Kill points: as the transaction starts spilling pages into the WAL, deep into it, and as late
  // as we can catch it: the whole batch makes about 53 MB of WAL, so at 50 MiB the last pages and
  // the commit frame are being written. Each must leave all or nothing.
  for (const walBytes of [64 * 1024, 8 * 1024 * 1024, 40 * 1024 * 1024, 50 * 1024 * 1024]) {
    it(`leaves the store as before or as after when killed with ${walBytes >> 10} KiB in the WAL`, async () => {
      const before = openSqliteStorage({ path });
      await before.applyBatch('local', [{ op: 'putSetting', key: 'committed-before', value: 1 }]);
      await before.close();

      const child = startStoreChild(['big-batch', path, String(BATCH)]);
      await child.waitFor('ready');
      const reached = await until(() => walSize(path) >= walBytes || child.process.exitCode !== null, 60_000);
      child.process.kill('SIGKILL');
      const exit = await child.exited;
      expect(reached).toBe(true);

      expect(integrity(path)).toBe('ok');
      const after = openSqliteStorage({ path });
      try {
        const count = await after.countTitles('local');
        const finished = exit.stdout.includes('done');
        // "done" is printed only after the commit, so a child that printed it must have committed.
        if (finished) expect(count).toBe(BATCH);
        else expect([0, BATCH]).toContain(count);
        expect(await after.getSetting('local', 'committed-before')).toBe(1);
        // The store still takes writes after recovery.
        await after.applyBatch('local', [{ op: 'putSetting', key: 'after-crash', value: count }]);
        expect(await after.getSetting('local', 'after-crash')).toBe(count);
        console.info(`killed at >= ${walBytes} B of WAL: ${exit.signal ?? exit.code}, ${count === 0 ? 'nothing' : 'all'} of the batch kept`);
      } finally {
        await after.close();
      }
    }, 120_000);
  }
});
