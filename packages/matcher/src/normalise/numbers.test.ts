import { describe, expect, it } from 'vitest';
import { foldText } from './fold.js';
import { canonicalNumbers, spellFractions } from './numbers.js';

const canon = (s: string) => canonicalNumbers(foldText(spellFractions(s)));

describe('numbers written two ways', () => {
  it.each([
    ['Catch Twenty-Two', 'Catch-22'],
    ['Twenty Thousand Leagues Under the Sea', '20,000 Leagues Under the Sea'],
    ['Seven and a Half Lessons About the Brain', '7½ Lessons About the Brain'],
    ['Nine and a Half Weeks', '9 1/2 Weeks'],
    ['Nineteen Eighty-Four', '1984'],
    ['One Hundred Years of Solitude', '100 Years of Solitude'],
    ['Four Thousand Weeks', '4000 Weeks'],
    ['Henry IV, Part I', 'Henry 4, Part 1'],
    ['Twenty-First Century', '21st Century'],
    ['The Hundred-Year-Old Man', 'The 100-Year-Old Man'],
    ['One Hundred and One Dalmatians', '101 Dalmatians'],
  ])('%s = %s', (a, b) => {
    expect(canon(a)).toBe(canon(b));
  });

  it('keeps different numbers apart and leaves words that are not numbers', () => {
    expect(canon('The 7½ Deaths of Evelyn Hardcastle')).not.toBe(canon('The Seven Deaths of Evelyn Hardcastle'));
    expect(canon('Henry IV, Part 2')).not.toBe(canon('Henry IV, Part 1'));
    expect(canon('I, Robot')).toBe('i robot');
    expect(canon('Malcolm X')).toBe('malcolm x');
    expect(canon('Xi Jinping')).toBe('xi jinping');
    expect(canon('Half a King')).toBe('half a king');
  });
});
