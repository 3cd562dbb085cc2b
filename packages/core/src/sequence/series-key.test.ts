import { describe, expect, it } from 'vitest';
import { normaliseSeriesTitle, seriesKeyFor } from './series-key.js';

describe('seriesKeyFor', () => {
  it.each<[string | null | undefined, string, string]>([
    ['B00SERIES1', 'Dune', 'B00SERIES1'],
    [' b00series1 ', 'Dune', 'B00SERIES1'],
    [null, 'The Expanse', 'title:the expanse'],
    ['', 'the  EXPANSE!', 'title:the expanse'],
    [undefined, 'Les Misérables', 'title:les miserables'],
    [null, 'Salt & Sanctuary', 'title:salt and sanctuary'],
    [null, '!!!', 'title:!!!'],
  ])('(%j, %j) -> %j', (asin, title, key) => {
    expect(seriesKeyFor(asin, title)).toBe(key);
  });

  it('lets two spellings of one series meet', () => {
    expect(seriesKeyFor(null, 'The Wheel of Time')).toBe(seriesKeyFor(null, 'the wheel-of-time'));
  });

  it('normalises diacritics and punctuation', () => {
    expect(normaliseSeriesTitle('  Ænima: Édition—Spéciale ')).toBe('ænima edition speciale');
  });
});
