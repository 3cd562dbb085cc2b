/**
 * Numbers written two ways compare as one: "Twenty-Two" and "22", "Seven and a Half" and "7½",
 * "Nineteen Eighty-Four" and "1984", "Henry IV" and "Henry 4", "20,000" and "Twenty Thousand".
 * Two passes: `spellFractions` on the raw text (before NFKC turns "½" into "1⁄2"), then
 * `canonicalNumbers` on folded text, where every number becomes digits.
 */

const FRACTIONS: Record<string, string> = { '½': 'and a half', '¼': 'and a quarter', '¾': 'and three quarters', '⅓': 'and a third', '⅔': 'and two thirds' };
const FRACTION_CHAR = /(\d?)\s*([½¼¾⅓⅔])/g;
const SLASH_HALF = /(\d)\s+1\/2\b/g;
// "20,000" and "1,000,000": a thousands separator, not a list.
const DIGIT_GROUPS = /(\d),(?=\d{3}\b)/g;

/** Raw-text step: fraction signs and "7 1/2" to words, thousands separators dropped. */
export function spellFractions(text: string): string {
  if (!/[½¼¾⅓⅔]|\d[,\s]/.test(text)) return text;
  return text
    .replace(FRACTION_CHAR, (_m, digit: string, sign: string) => `${digit ? `${digit} ` : ' '}${FRACTIONS[sign]!} `)
    .replace(SLASH_HALF, '$1 and a half')
    .replace(DIGIT_GROUPS, '$1');
}

const UNITS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10, eleventh: 11, twelfth: 12,
  thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17, eighteenth: 18, nineteenth: 19, twentieth: 20,
  thirtieth: 30, fortieth: 40, fiftieth: 50, sixtieth: 60, seventieth: 70, eightieth: 80, ninetieth: 90, hundredth: 100, thousandth: 1000,
};
const SCALES: Record<string, number> = { hundred: 100, thousand: 1000, million: 1_000_000 };
const HALVES: Record<string, string> = { half: '.5', quarter: '.25', third: '.33' };
// Roman numerals of two letters or more (a lone "I", "V" or "X" is a word or a name far more often).
const ROMAN = /^(?:x{0,2})(?:ix|iv|v?i{0,3})$/;
const ROMAN_VALUES: Record<string, number> = { i: 1, v: 5, x: 10 };
// After these words a lone Roman numeral is a number: "Part I", "Book V".
const VOLUME_WORD = /^(?:book|vol|volume|part|episode|tome|chapter|season|act|no|number)$/;

function romanValue(word: string): number {
  let total = 0;
  for (let i = 0; i < word.length; i++) {
    const v = ROMAN_VALUES[word[i]!]!;
    const next = ROMAN_VALUES[word[i + 1] ?? ''] ?? 0;
    total += v < next ? -v : v;
  }
  return total;
}

function ordinalSuffix(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
}

const MAY_HOLD = /\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|[ivx]{2,5}|i|v|x|half|quarter)\b/;

/**
 * Reads a run of number words from `words[start]`: "twenty two" -> 22, "one hundred and one" ->
 * 101, "four thousand" -> 4000. Returns the value, whether it ended in an ordinal, and the words used.
 */
function readNumberWords(words: string[], start: number): { value: number; ordinal: boolean; used: number } | null {
  let total = 0;
  let current = 0;
  let used = 0;
  let any = false;
  let ordinal = false;
  for (let i = start; i < words.length; i++) {
    const w = words[i]!;
    if (w === 'and' && any && i + 1 < words.length && (UNITS[words[i + 1]!] !== undefined || TENS[words[i + 1]!] !== undefined) && current >= 100) {
      used++;
      continue;
    }
    if (UNITS[w] !== undefined && (current % 100 === 0 || (current % 10 === 0 && current % 100 >= 20 && UNITS[w]! < 10))) current += UNITS[w]!;
    else if (TENS[w] !== undefined && current % 100 === 0) current += TENS[w]!;
    else if (ORDINALS[w] !== undefined && (ORDINALS[w]! < 10 ? current % 10 === 0 : current % 100 === 0)) {
      current += ORDINALS[w]!;
      ordinal = true;
      used++;
      any = true;
      break;
    } else if (SCALES[w] !== undefined && any) {
      if (SCALES[w]! === 100) current = (current || 1) * 100;
      else {
        total += (current || 1) * SCALES[w]!;
        current = 0;
      }
    } else if (SCALES[w] !== undefined && !any && (w === 'hundred' || w === 'thousand')) {
      // "Hundred-Year-Old Man", "A Thousand Splendid Suns": the scale alone.
      current = SCALES[w]!;
    } else break;
    any = true;
    used++;
  }
  if (!any) return null;
  return { value: total + current, ordinal, used };
}

/**
 * Folded text with every number as digits: number words, ordinals ("twenty first" -> 21st),
 * years read in pairs ("nineteen eighty four" -> 1984), halves ("7 and a half" -> 7.5) and Roman
 * numerals after a word ("henry iv" -> henry 4).
 */
export function canonicalNumbers(folded: string): string {
  if (!MAY_HOLD.test(folded) && !/\d/.test(folded)) return folded;
  const words = folded.split(' ');
  const out: string[] = [];
  // Whether out's last entry is a number this pass made from words (years pair only such).
  let lastFromWords = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const read = UNITS[w] !== undefined || TENS[w] !== undefined || ORDINALS[w] !== undefined || w === 'hundred' || w === 'thousand' ? readNumberWords(words, i) : null;
    if (read) {
      let text = String(read.value);
      const prev = out[out.length - 1];
      // "nineteen eighty four": a year read as two numbers of two digits.
      if (lastFromWords && prev && /^\d\d$/.test(prev) && Number(prev) >= 10 && read.value >= 10 && read.value < 100 && !read.ordinal) {
        out[out.length - 1] = prev + String(read.value).padStart(2, '0');
        i += read.used - 1;
        lastFromWords = false;
        continue;
      }
      if (read.ordinal) text += ordinalSuffix(read.value);
      out.push(text);
      i += read.used - 1;
      lastFromWords = !read.ordinal;
      continue;
    }
    lastFromWords = false;
    // "7 and a half", "9 and a quarter".
    if (w === 'and' && words[i + 1] === 'a' && HALVES[words[i + 2] ?? ''] && out.length && /^\d+$/.test(out[out.length - 1]!)) {
      out[out.length - 1] += HALVES[words[i + 2]!]!;
      i += 2;
      continue;
    }
    if (i > 0 && w.length >= 2 && w.length <= 5 && /^[ivx]+$/.test(w) && ROMAN.test(w)) {
      out.push(String(romanValue(w)));
      continue;
    }
    if (i > 0 && (w === 'i' || w === 'v' || w === 'x') && VOLUME_WORD.test(words[i - 1]!)) {
      out.push(String(romanValue(w)));
      continue;
    }
    // "21st", "4th" stay; leading zeros go ("007" -> 7).
    if (/^0\d+$/.test(w)) {
      out.push(String(Number(w)));
      continue;
    }
    out.push(w);
  }
  return out.join(' ');
}
