import { afterEach, describe, expect, it } from 'vitest';
import { coreRules } from '../src/apply/core-rules.js';
import { pushToNotion } from '../src/apply/push.js';
import { pullFromNotion } from '../src/pull/pull.js';
import { booksByAsin, OWNER, world, type World } from './helpers.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe('push and pull with core’s rules', () => {
  it('applies a hand edit with the cascade, and writes back a regression core refused', async () => {
    w = await world(10, 2);
    const deps = { ...w.deps, rules: coreRules };
    await pushToNotion(deps);
    const seriesPage = () => w!.fake.state.listPages(w!.seriesDs).map((p) => w!.fake.state.plainValues(p)).find((s) => s.Key === 'S000000001')!;
    expect(seriesPage()).toMatchObject({ Status: 'Not started', Finished: 0, 'Next up': '#1 Book 1' });

    const b1 = booksByAsin(w).get('B000000001')![0]!.id as string;
    w.fake.state.editByHand(b1, { Status: { select: { name: 'Finished' } } });
    const pulled = await pullFromNotion(deps);
    expect(pulled.events).toMatchObject([{ asin: 'B000000001', kind: 'finished' }]);
    expect((await w.storage.getProgress(OWNER, 'B000000001'))?.isFinished).toBe(true);
    await pushToNotion(deps);
    expect(seriesPage()).toMatchObject({ Status: 'In progress', Finished: 1, 'Next up': '#2 Book 3' });
    expect(booksByAsin(w).get('B000000001')![0]).toMatchObject({ Status: 'Finished', 'Progress %': 100 });

    // A lower percent typed on a finished book is a device-style report: core keeps it finished.
    w.fake.state.editByHand(b1, { 'Progress %': { number: 30 } });
    const regression = await pullFromNotion(deps);
    expect(regression.events).toMatchObject([{ asin: 'B000000001', kind: 'progress', percent: 30 }]);
    const again = await pushToNotion(deps);
    expect(again.planned.propertiesChanged).toEqual({ 'Books.Progress %': 1 });
    expect(booksByAsin(w).get('B000000001')![0]).toMatchObject({ Status: 'Finished', 'Progress %': 100 });
  });
});
