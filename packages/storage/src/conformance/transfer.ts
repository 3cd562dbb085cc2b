import { applyInChunks } from '@sagasync/core';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../memory/memory-storage.js';
import { copyOwner, dumpLines, dumpOwner } from '../transfer/index.js';
import { everyKindOfRecord } from './fixtures.js';
import type { SuiteContext } from './suite-context.js';

export function describeTransfer(ctx: SuiteContext): void {
  describe('store copy and dump', () => {
    it('copies every kind of record out to another store and back under another owner, with identical dumps', async () => {
      const store = ctx.store();
      const [first, second] = [ctx.owner(), ctx.owner()];
      await applyInChunks(store, first, everyKindOfRecord().map((op) => [op]));
      const elsewhere = createMemoryStorage();
      try {
        const out = await copyOwner({ from: store, fromOwner: first, to: elsewhere, toOwner: 'local' });
        expect(out.newerInTarget).toEqual([]);
        expect(out.written).toBe(everyKindOfRecord().length);
        const back = await copyOwner({ from: elsewhere, fromOwner: 'local', to: store, toOwner: second });
        expect(back.written).toBe(out.written);

        const dump = dumpLines(await dumpOwner(store, first));
        expect(dump.length).toBe(everyKindOfRecord().length);
        expect(dumpLines(await dumpOwner(elsewhere, 'local'))).toEqual(dump);
        expect(dumpLines(await dumpOwner(store, second))).toEqual(dump);
        expect(dump.join('\n')).not.toContain(first);

        // Again: nothing differs, nothing is written.
        const again = await copyOwner({ from: elsewhere, fromOwner: 'local', to: store, toOwner: second });
        expect({ written: again.written, unchanged: again.unchanged }).toEqual({ written: 0, unchanged: dump.length });
      } finally {
        await elsewhere.close();
      }
    });
  });
}
