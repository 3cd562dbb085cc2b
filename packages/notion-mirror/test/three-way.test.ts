import { applyListeningEvent } from '@sagasync/core';
import { afterEach, describe, expect, it } from 'vitest';
import { coreRules } from '../src/apply/core-rules.js';
import { pushToNotion } from '../src/apply/push.js';
import { pullFromNotion } from '../src/pull/pull.js';
import { booksByAsin, OWNER, world, type World } from './helpers.js';

// Nobody's edit is lost: a Status set by hand in Notion and a change made locally both survive a
// push and a pull: the later one wins, the other stays in the title's history. Core's own rules.
let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});
const ASIN = 'B000000002';
const pageOf = (asin: string) => booksByAsin(w!).get(asin)![0]!.id as string;
const tick = () => new Promise((done) => setTimeout(done, 5));

describe('a hand edit in Notion and a local change', () => {
  it('Finished in Notion, then `progress start` locally: the next push keeps the later local change, writes it, and the edit stays in the history', async () => {
    w = await world(4, 1);
    const deps = { ...w.deps, rules: coreRules };
    await pushToNotion(deps);
    w.fake.state.editByHand(pageOf(ASIN), { Status: { select: { name: 'Finished' } } });
    await tick();
    await applyListeningEvent({ storage: w.storage, ownerId: OWNER }, { asin: ASIN, kind: 'started', percent: 20, source: 'manual' });

    await pushToNotion(deps);
    expect(await w.storage.getProgress(OWNER, ASIN)).toMatchObject({ status: 'in_progress', percentComplete: 20, changedBy: 'manual' });
    const history = (await w.storage.listHistory(OWNER, ASIN)).items;
    expect(history.find((h) => h.event === 'superseded')).toMatchObject({ source: 'notion', toStatus: 'finished' });
    expect(booksByAsin(w).get(ASIN)![0]).toMatchObject({ Status: 'In progress', 'Progress %': 20 });
    // Nothing is left for a pull, and the edit is not taken in twice.
    expect((await pullFromNotion(deps)).events).toEqual([]);
    await pushToNotion(deps);
    expect((await w.storage.listHistory(OWNER, ASIN)).items.filter((h) => h.event === 'superseded')).toHaveLength(1);
  });

  it('a local change, then Finished in Notion: the later Notion edit wins', async () => {
    w = await world(4, 1);
    const deps = { ...w.deps, rules: coreRules };
    await pushToNotion(deps);
    // Notion rounds an edit's time down to the minute: the local change is minutes older.
    const before = new Date(Date.now() - 3 * 60_000).toISOString();
    await applyListeningEvent({ storage: w.storage, ownerId: OWNER }, { asin: ASIN, kind: 'started', percent: 20, at: before, source: 'manual' });
    w.fake.state.editByHand(pageOf(ASIN), { Status: { select: { name: 'Finished' } } });
    await pullFromNotion(deps);
    expect(await w.storage.getProgress(OWNER, ASIN)).toMatchObject({ status: 'finished', changedBy: 'notion' });
    await pushToNotion(deps);
    expect(booksByAsin(w).get(ASIN)![0]).toMatchObject({ Status: 'Finished', 'Progress %': 100 });
    const history = (await w.storage.listHistory(OWNER, ASIN)).items.map((h) => [h.event, h.source]);
    expect(history).toEqual([
      ['started', 'manual'],
      ['finished', 'notion'],
    ]);
  });
});
