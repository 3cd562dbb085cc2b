import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MirrorTable } from '../state/settings.js';
import { planTable } from './plan-table.js';
import { hashValues, numberValue, textValue, titleValue, type PropertyValues } from './property-values.js';

const valuesArb: fc.Arbitrary<PropertyValues> = fc.record({
  Title: fc.string({ minLength: 1 }).map(titleValue),
  Notes: fc.string().map(textValue),
  Count: fc.option(fc.integer(), { nil: null }).map(numberValue),
});
const desiredArb = fc.dictionary(fc.stringMatching(/^[A-Z0-9]{10}$/), valuesArb, { maxKeys: 20 });

/** What applying a plan does to the mirror state. */
function apply(mirror: MirrorTable, desired: Record<string, PropertyValues>): MirrorTable {
  const next: MirrorTable = structuredClone(mirror);
  const plan = planTable(new Map(Object.entries(desired)), next);
  for (const w of plan.writes) {
    if (w.kind === 'create') next[w.key] = { pageId: `page-${w.key}`, origin: 'created', synthetic: false, hashes: hashValues(w.values) };
    else Object.assign(next[w.key]!.hashes, hashValues(w.values));
  }
  return next;
}

describe('planTable', () => {
  it('plans nothing once its own plan has been applied (idempotent re-push)', () => {
    fc.assert(
      fc.property(desiredArb, desiredArb, (before, after) => {
        const mirror = apply(apply({}, before), after);
        const plan = planTable(new Map(Object.entries(after)), mirror);
        expect(plan.writes).toEqual([]);
        expect(plan.unchanged.sort()).toEqual(Object.keys(after).sort());
      }),
    );
  });

  it('updates exactly the properties whose values changed', () => {
    fc.assert(
      fc.property(valuesArb, valuesArb, (a, b) => {
        const mirror = apply({}, { B000000001: a });
        const plan = planTable(new Map([['B000000001', b]]), mirror);
        const changed = Object.keys(b).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
        if (changed.length === 0) expect(plan.writes).toEqual([]);
        else expect(plan.writes).toMatchObject([{ kind: 'update', pageId: 'page-B000000001', changed }]);
      }),
    );
  });

  it('reports mirrored keys the store no longer has as orphans, and creates new ones', () => {
    const mirror = apply({}, { B000000001: { Title: titleValue('a') } });
    const plan = planTable(new Map([['B000000002', { Title: titleValue('b') }]]), mirror);
    expect(plan.orphans).toEqual(['B000000001']);
    expect(plan.writes).toMatchObject([{ kind: 'create', key: 'B000000002' }]);
  });
});
