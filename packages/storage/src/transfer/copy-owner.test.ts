import { applyInChunks, type BatchOperation, type StoragePort } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { asinOf, everyKindOfRecord, fullTitle, historyData, T0, T2 } from '../conformance/fixtures.js';
import { createCredentialSealer, createCredentialVault } from '../credentials/vault.js';
import { createMemoryStorage } from '../memory/memory-storage.js';
import { copyOwner, dumpLines, dumpOwner } from './index.js';

async function filled(ops: BatchOperation[] = everyKindOfRecord(), owner = 'local'): Promise<StoragePort> {
  const store = createMemoryStorage();
  await applyInChunks(store, owner, ops.map((op) => [op]));
  return store;
}

/** The store, failing the batch numbered `failAt` as a crash would. */
function crashingAt(store: StoragePort, failAt: number): StoragePort {
  let calls = 0;
  const wrapper = Object.create(store) as StoragePort;
  Object.defineProperty(wrapper, 'limits', { value: { maxOperationsPerBatch: 10 } });
  wrapper.applyBatch = async (owner, ops) => {
    if (++calls === failAt) throw new Error('simulated crash');
    return store.applyBatch(owner, ops);
  };
  return wrapper;
}

const lines = async (store: StoragePort, owner: string) => dumpLines(await dumpOwner(store, owner));

describe('copyOwner', () => {
  it('resumes a copy that stopped half way: the rerun writes only what is left', async () => {
    const source = await filled();
    const target = createMemoryStorage();
    await expect(copyOwner({ from: source, fromOwner: 'local', to: crashingAt(target, 4), toOwner: 'user-1' })).rejects.toThrow('simulated crash');
    const partial = (await lines(target, 'user-1')).length;
    expect(partial).toBe(30);
    const rerun = await copyOwner({ from: source, fromOwner: 'local', to: target, toOwner: 'user-1' });
    expect(rerun.newerInTarget).toEqual([]);
    expect(rerun.unchanged).toBe(partial);
    expect(rerun.written).toBe(everyKindOfRecord().length - partial);
    expect(await lines(target, 'user-1')).toEqual(await lines(source, 'local'));
  });

  it('refuses to overwrite a target record changed after the source, and writes nothing', async () => {
    const source = await filled();
    const target = createMemoryStorage();
    await copyOwner({ from: source, fromOwner: 'local', to: target, toOwner: 'local' });
    // Changed in the target later; meanwhile the source changed another title.
    await target.applyBatch('local', [{ op: 'putTitle', value: fullTitle(asinOf(2), { title: 'Renamed on the server', updatedAt: T2 }) }]);
    await source.applyBatch('local', [{ op: 'putTitle', value: fullTitle(asinOf(3), { title: 'Renamed locally', updatedAt: T2 }) }]);
    const before = await lines(target, 'local');
    await expect(copyOwner({ from: source, fromOwner: 'local', to: target, toOwner: 'local' })).rejects.toMatchObject({
      code: 'version_conflict',
      message: expect.stringContaining(`titles ${asinOf(2)} (changed later)`),
    });
    expect(await lines(target, 'local')).toEqual(before);

    const forced = await copyOwner({ from: source, fromOwner: 'local', to: target, toOwner: 'local', force: true });
    expect(forced.newerInTarget).toEqual([{ kind: 'titles', key: asinOf(2), reason: 'newer' }]);
    expect(forced.written).toBe(2);
    expect(await lines(target, 'local')).toEqual(await lines(source, 'local'));
  });

  it('treats records only the target has as changes the source lacks; --force deletes them', async () => {
    const source = await filled();
    const target = await filled([...everyKindOfRecord(), { op: 'putSetting', key: 'server-only', value: true }]);
    await expect(copyOwner({ from: source, fromOwner: 'local', to: target, toOwner: 'local' })).rejects.toThrow(/settings server-only \(not in the source\)/);
    const dry = await copyOwner({ from: source, fromOwner: 'local', to: target, toOwner: 'local', force: true, dryRun: true });
    expect({ written: dry.written, deleted: dry.deleted, dryRun: dry.dryRun }).toEqual({ written: 0, deleted: 0, dryRun: true });
    expect(await target.getSetting('local', 'server-only')).toBe(true);
    const forced = await copyOwner({ from: source, fromOwner: 'local', to: target, toOwner: 'local', force: true });
    expect(forced.deleted).toBe(1);
    expect(await lines(target, 'local')).toEqual(await lines(source, 'local'));
  });

  it('keeps append-only history it cannot replace, and says so', async () => {
    const source = await filled();
    const target = await filled([...everyKindOfRecord(), { op: 'appendHistory', value: historyData(asinOf(1), 'target-only', T0) }]);
    const result = await copyOwner({ from: source, fromOwner: 'local', to: target, toOwner: 'local' });
    expect(result.leftInTarget).toEqual([{ kind: 'history', key: `${asinOf(1)} target-only` }]);
    expect(result.written).toBe(0);
  });

  it('copies credentials as sealed, or with reencrypt opens them with one key and seals them with the other', async () => {
    const source = await filled([]);
    const sourceKey = { secret: Buffer.alloc(32, 1).toString('base64') };
    const targetKey = { passphrase: 'a long target passphrase' };
    await createCredentialVault({ storage: source, ownerId: 'local', key: sourceKey }).put('notion', { token: 'secret_abc' });

    const plain = createMemoryStorage();
    await copyOwner({ from: source, fromOwner: 'local', to: plain, toOwner: 'local' });
    expect((await plain.getCredential('local', 'notion'))?.ciphertext).toBe((await source.getCredential('local', 'notion'))?.ciphertext);

    const target = createMemoryStorage();
    const reencrypt = { source: createCredentialSealer(sourceKey), target: createCredentialSealer(targetKey) };
    await copyOwner({ from: source, fromOwner: 'local', to: target, toOwner: 'u', reencrypt });
    expect(await createCredentialVault({ storage: target, ownerId: 'u', key: targetKey }).get('notion')).toEqual({ token: 'secret_abc' });
    await expect(createCredentialVault({ storage: target, ownerId: 'u', key: sourceKey }).get('notion')).rejects.toMatchObject({ code: 'auth_failed' });
    // The same secrets again: the target's blobs stay, nothing is written.
    expect((await copyOwner({ from: source, fromOwner: 'local', to: target, toOwner: 'u', reencrypt })).written).toBe(0);
    // A wrong source key fails before anything is written.
    const wrong = { source: createCredentialSealer({ secret: Buffer.alloc(32, 2).toString('base64') }), target: reencrypt.target };
    await expect(copyOwner({ from: source, fromOwner: 'local', to: createMemoryStorage(), toOwner: 'u', reencrypt: wrong })).rejects.toMatchObject({ code: 'auth_failed' });
  });

  it('refuses a bad owner id before reading anything', async () => {
    await expect(copyOwner({ from: createMemoryStorage(), fromOwner: '', to: createMemoryStorage(), toOwner: 'x' })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
