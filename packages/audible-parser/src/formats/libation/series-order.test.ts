import { describe, expect, it } from 'vitest';
import { splitSeriesOrder } from './series-order.js';

describe('splitSeriesOrder', () => {
  it.each([
    ['1 : Dune, 12 : Dune Saga', [['1', 'Dune'], ['12', 'Dune Saga']]],
    ['2.5 : Salt, Smoke and Steel', [['2.5', 'Salt, Smoke and Steel']]],
    ['1 : Dune, Book, 12 : Dune Saga', [['1', 'Dune, Book'], ['12', 'Dune Saga']]],
    ['2.5 : Salt, Smoke and Steel,  : Tales of the Vale', [['2.5', 'Salt, Smoke and Steel'], ['', 'Tales of the Vale']]],
    [' : Tales of the Vale, 3 : Other', [['', 'Tales of the Vale'], ['3', 'Other']]],
    [': Tales of the Vale', [['', 'Tales of the Vale']]],
    ['1-3 : The Ember Crown', [['1-3', 'The Ember Crown']]],
    ['-1 : Night Harbor Radio', [['-1', 'Night Harbor Radio']]],
    ['2, Dramatized Adaptation : Rainlands, 7 : Universe', [['2, Dramatized Adaptation', 'Rainlands'], ['7', 'Universe']]],
    ['', []],
    ['no separator here', []],
  ])('%j', (text, expected) => {
    expect(splitSeriesOrder(text).map((e) => [e.order, e.name])).toEqual(expected);
  });
});
