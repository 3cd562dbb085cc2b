import { describe, expect, it } from 'vitest';
import { runDirectoryConformance } from '../directory-conformance/index.js';
import { createMemoryDirectory } from './memory-directory.js';

runDirectoryConformance({ name: 'memory', create: async () => createMemoryDirectory() });

describe('memory directory', () => {
  it('values passed in are copied: mutating them afterwards changes nothing stored', async () => {
    const directory = createMemoryDirectory();
    const user = { id: 'u1', name: 'ada', createdAt: '2024-01-01T00:00:00.000Z' };
    await directory.createUser(user);
    user.name = 'changed';
    expect((await directory.getUser('u1'))?.name).toBe('ada');
    const account = {
      ...{ id: 'a1', userId: 'u1', sharedWith: [] as string[], locale: 'us', marketplace: 'AF2M0KC94RCEA' },
      ...{ label: '', ciphertext: 'c', createdAt: user.createdAt, updatedAt: user.createdAt },
    };
    await directory.putAudibleAccount(account);
    account.sharedWith.push('someone');
    expect((await directory.getAudibleAccount('a1'))?.sharedWith).toEqual([]);
  });

  it('fails with storage_failure once closed', async () => {
    const directory = createMemoryDirectory();
    await directory.close();
    await expect(directory.getUser('u1')).rejects.toMatchObject({ code: 'storage_failure' });
  });
});
