import { describe, expect, it } from 'vitest';
import { hashValues, numberValue, selectValue } from '../plan/property-values.js';
import type { MirrorEntry } from '../state/settings.js';
import { handEditFrom, markSeen } from './hand-edits.js';

const entry = (status: string, percent: number | null): MirrorEntry => ({
  pageId: 'p',
  origin: 'created',
  synthetic: false,
  hashes: hashValues({ Status: selectValue(status), 'Progress %': numberValue(percent) }),
});
const page = (status: string | null, percent: number | null) => ({ Status: selectValue(status), 'Progress %': numberValue(percent) });

describe('handEditFrom', () => {
  it.each([
    ['Finished by hand', entry('Not started', 0), page('Finished', 0), { kind: 'finished' }],
    ['back to Not started', entry('Finished', 100), page('Not started', 100), { kind: 'reset' }],
    ['In progress with a percent', entry('Not started', 0), page('In progress', 35), { kind: 'started', percent: 35 }],
    ['In progress without one', entry('Finished', 100), page('In progress', 100), { kind: 'started' }],
    ['only the percent', entry('In progress', 10), page('In progress', 55), { kind: 'progress', percent: 55 }],
    ['percent typed as 100', entry('In progress', 10), page('In progress', 100), { kind: 'finished' }],
    ['case-insensitive labels', entry('Not started', 0), page('finished', 0), { kind: 'finished' }],
  ])('%s', (_label, e, values, expected) => {
    expect(handEditFrom(e, values)).toEqual(expected);
  });

  it('sees nothing when nothing changed, or the new status is not one of SagaSync’s', () => {
    expect(handEditFrom(entry('In progress', 20), page('In progress', 20))).toBeNull();
    expect(handEditFrom(entry('In progress', 20), page('Abandoned', 20))).toBeNull();
  });

  it('markSeen makes the same values quiet afterwards', () => {
    const e = entry('Not started', 0);
    const v = page('Finished', 100);
    markSeen(e, v);
    expect(handEditFrom(e, v)).toBeNull();
  });
});
