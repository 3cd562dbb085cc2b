import { cleanTypography, foldText } from './fold.js';
import { looseNameKey, romanise } from './transliterate.js';

/** One person as matching sees them: folded name tokens, surname forms and given-name initials. */
export interface AuthorKey {
  /** Folded tokens in display order ("j r r tolkien"); romanised first when written in Cyrillic, Greek, .... */
  tokens: string[];
  /** How the name was written: Latin letters, another script romanised here, or a script left as is (Han, kana, Hangul). */
  script: 'latin' | 'transliterated' | 'foreign';
  /** The name as written, for reasons ("Антон Чехов"). */
  written: string;
  /** `blockingKeys`, computed on first use (keys are shared, so once per name). */
  blocking?: { forms: string[]; tokens: string[] };
}

// Contributors who did not write the work: their presence must not make two books agree, and
// their absence must not make them disagree.
const ROLE =
  /\b(?:translator|translated|translation|trans|tr|narrator|narrated|reader|read by|illustrator|illustrated|illustrations|foreword|preface|introduction|intro|afterword|contributor|cover|photographer|performed|performer|adapter|adapted|abridger|abridged|full cast|music|producer|director)\b/i;
const NOT_A_PERSON = /^(?:various|various authors|anonymous|anon|unknown|unknown author|n a|na|none|multiple authors|full cast)$/;
const HONORIFIC = /^(?:dr|prof|professor|sir|dame|lord|lady|mr|mrs|ms|rev|reverend|saint|st|jr|sr|ii|iii|iv|phd|md|obe|mbe|cbe|kbe|esq)$/;
const SUFFIX_PART = /^(?:jr|sr|ii|iii|iv|phd|md|obe|mbe|cbe|esq)\.?$/i;

/** Splits a name into folded tokens; "J.R.R." and "J. R. R." both become j r r. Null for non-persons. */
export function authorKey(name: string): AuthorKey | null {
  const { text, script } = romanise(name);
  const folded = foldText(text.replace(/\.(?=\S)/g, '. '));
  if (!folded || NOT_A_PERSON.test(folded)) return null;
  const tokens = folded.split(' ').filter((t) => !HONORIFIC.test(t));
  return tokens.length ? { tokens, script, written: name } : null;
}

/** True when `raw` names a contributor role rather than an author (`Jay Rubin (Translator)`). */
function isRoleOnly(raw: string): boolean {
  const role = raw.match(/[([]([^()[\]]+)[)\]]\s*$/)?.[1] ?? raw.match(/\s-\s*(\w[\w ]*)$/)?.[1];
  if (role && ROLE.test(role) && !/\b(?:author|editor|writer)\b/i.test(role)) return true;
  return /^(?:translated|narrated|read|illustrated|introduction|foreword|afterword)\s+by\b/i.test(raw.trim());
}

function stripRole(raw: string): string {
  return raw.replace(/\s*[([][^()[\]]*[)\]]\s*$/, '').replace(/\s+-\s*(?:author|editor|writer)$/i, '').trim();
}

function looksLikeGivenNames(part: string): boolean {
  // "J.R.R.", "Ursula K.", "Frank" — at most three short tokens, no further comma-separated name.
  const words = part.trim().split(/\s+/);
  return words.length >= 1 && words.length <= 3 && words.every((w) => /^[\p{L}][\p{L}'.-]*$/u.test(w));
}

/**
 * Reads an author field: several authors separated by `;`, `&`, ` and `, or commas; `Last, First`
 * turned round; translators, narrators and illustrators dropped.
 */
export function parseAuthorList(raw: string | null | undefined): string[] {
  if (!raw) return [];
  const cleaned = cleanTypography(raw);
  const groups = cleaned.split(/\s*(?:;|\s&\s|\s+and\s+|\s+with\s+|\|)\s*/i).filter(Boolean);
  const out: string[] = [];
  for (const group of groups) {
    const parts = group.split(/\s*,\s*/).filter(Boolean);
    for (let i = 0; i < parts.length; i++) {
      let part = parts[i]!;
      if (SUFFIX_PART.test(part)) continue; // "Martin Luther King, Jr."
      const next = parts[i + 1];
      // "Tolkien, J.R.R.": one surname-like word (or a particle form like "Le Guin") then given names.
      const surnameLike = /^[\p{L}'-]+(?:\s+[\p{L}'-]+)?$/u.test(part) && part.split(/\s+/).length <= 2 && !part.includes('.');
      if (next && surnameLike && looksLikeGivenNames(next) && !isRoleOnly(next) && (part.split(/\s+/).length === 1 || /^(?:le|la|de|del|van|von|der|di|da|du|mac|mc|st\.?|o')\s/i.test(part))) {
        // Only when "next" is not itself a full "First Last" name of another author.
        const nextWords = next.trim().split(/\s+/);
        const nextIsFullName = nextWords.length >= 2 && !nextWords.some((w) => /^\p{L}\.?$/u.test(w) || w.endsWith('.'));
        if (!nextIsFullName || parts.length === 2) {
          part = `${next} ${part}`;
          i++;
        }
      }
      if (isRoleOnly(part)) continue;
      const name = stripRole(part);
      if (name) out.push(name);
    }
  }
  return out;
}

function surnameForms(tokens: string[]): { surname: string; given: string[] }[] {
  // "le guin" and "leguin", "garcia marquez" and "marquez": try the last one, two and three tokens.
  const forms: { surname: string; given: string[] }[] = [];
  for (let k = 1; k <= Math.min(3, tokens.length); k++) {
    forms.push({ surname: tokens.slice(tokens.length - k).join(''), given: tokens.slice(0, tokens.length - k) });
  }
  return forms;
}

function initialsCompatible(a: string[], b: string[]): boolean {
  if (a.length === 0 || b.length === 0) return true;
  // First given names must start alike ("j" ~ "john"); a one-letter initial matches a full name.
  const x = a[0]!;
  const y = b[0]!;
  if (x.length > 1 && y.length > 1) return x === y || x.startsWith(y) || y.startsWith(x);
  return x[0] === y[0];
}

function editDistanceAtMostOne(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

function isSubsequence(short: string[], long: string[]): boolean {
  let j = 0;
  for (const token of long) if (j < short.length && token === short[j]) j++;
  return j === short.length;
}

export type NameMatch = 'same' | 'surname' | 'weak' | 'different';

/**
 * Compares two people. `same`: surname and first given name agree (initials count);
 * `surname`: the surname agrees and one side gives no first name; `weak`: a one-letter slip in a
 * long surname; `different` otherwise (Brian Herbert is not Frank Herbert).
 */
export function compareNames(a: AuthorKey, b: AuthorKey): NameMatch {
  // Same tokens in another order: "Liu Cixin" / "Cixin Liu".
  if (a.tokens.length > 1 && a.tokens.length === b.tokens.length && [...a.tokens].sort().join(' ') === [...b.tokens].sort().join(' ')) return 'same';
  // "Miguel de Cervantes" within "Miguel de Cervantes Saavedra": Spanish double surnames.
  const [shorter, longer] = a.tokens.length <= b.tokens.length ? [a.tokens, b.tokens] : [b.tokens, a.tokens];
  if (shorter.length >= 2 && shorter.length < longer.length && shorter[0] === longer[0] && shorter[shorter.length - 1]!.length > 1 && isSubsequence(shorter, longer)) return 'same';
  let weak = false;
  for (const fa of surnameForms(a.tokens)) {
    for (const fb of surnameForms(b.tokens)) {
      if (fa.surname === fb.surname) {
        if (!initialsCompatible(fa.given, fb.given)) continue;
        return fa.given.length && fb.given.length ? 'same' : 'surname';
      }
      // A slip is only looked for in the last name proper (one token), where transliterations differ.
      const lastOnly = a.tokens.length - fa.given.length === 1 && b.tokens.length - fb.given.length === 1;
      if (lastOnly && fa.surname.length >= 6 && fb.surname.length >= 6 && fa.given.length && fb.given.length && editDistanceAtMostOne(fa.surname, fb.surname)) {
        if (initialsCompatible(fa.given, fb.given) && fa.given[0] === fb.given[0]) weak = true;
      }
    }
  }
  return weak || looselySame(a, b) ? 'weak' : 'different';
}

/**
 * Two spellings of one romanised name: the last names have the same loose key (Dostoevskiy /
 * Dostoyevsky) and the first names agree loosely (Nikolay / Nikolai), or, when a side was written
 * in another script, by their first letter (Лев, romanised Lev, is Leo). Only ever `weak`.
 */
function looselySame(a: AuthorKey, b: AuthorKey): boolean {
  if (a.script === 'foreign' || b.script === 'foreign') return false;
  const lastA = a.tokens[a.tokens.length - 1]!;
  const lastB = b.tokens[b.tokens.length - 1]!;
  if (lastA.length < 4 || lastB.length < 4 || looseNameKey(lastA) !== looseNameKey(lastB)) return false;
  const givenA = a.tokens.length > 1 ? a.tokens[0]! : null;
  const givenB = b.tokens.length > 1 ? b.tokens[0]! : null;
  if (!givenA || !givenB) return false;
  if (initialsCompatible([givenA], [givenB]) || looseNameKey(givenA) === looseNameKey(givenB)) return true;
  const romanised = a.script === 'transliterated' || b.script === 'transliterated';
  return romanised && looseNameKey(givenA)[0] === looseNameKey(givenB)[0];
}

export type AuthorAgreement = 'agree' | 'weak' | 'disagree' | 'unknown' | 'other_script';

/**
 * Whether two author lists name a common writer; `unknown` when either side names nobody;
 * `other_script` when they do not agree and one side writes its authors in a script that is not
 * romanised here (村上春樹 against Haruki Murakami): nobody can tell offline.
 */
export function compareAuthorLists(a: readonly AuthorKey[], b: readonly AuthorKey[]): AuthorAgreement {
  if (a.length === 0 || b.length === 0) return 'unknown';
  let best: AuthorAgreement = 'disagree';
  for (const x of a) {
    for (const y of b) {
      const m = compareNames(x, y);
      if (m === 'same' || m === 'surname') return 'agree';
      if (m === 'weak') best = 'weak';
    }
  }
  if (best === 'disagree' && hasForeign(a) !== hasForeign(b)) return 'other_script';
  return best;
}

/** Whether a list names someone in a script that is not romanised here. */
export function hasForeign(authors: readonly AuthorKey[]): boolean {
  for (const author of authors) if (author.script === 'foreign') return true;
  return false;
}

/** Author keys of a list of names, each possibly holding several authors or a role. */
export function authorKeys(names: readonly string[]): AuthorKey[] {
  const keys: AuthorKey[] = [];
  for (const name of names) {
    for (const one of parseAuthorList(name)) {
      const key = authorKey(one);
      if (key) keys.push(key);
    }
  }
  return keys;
}

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/**
 * Blocking keys for a person, such that any two people `compareNames` does not call `different`
 * share a key between one's `lookup` keys and the other's `form` or `token` keys:
 * - `forms`: every surname form ("guin", "leguin"), for a last name of six letters or more every
 *   one-letter deletion (a one-letter slip leaves a deletion in common), and the loose key of the
 *   last name (`~dostoevski`);
 * - `tokens`: every name token, so "Liu Cixin" meets "Cixin Liu" and "Miguel de Cervantes" meets
 *   "Miguel de Cervantes Saavedra".
 * Look up a person's forms in both forms and tokens, and their tokens in forms only (tokens
 * against tokens would put every James with every James).
 */
export function blockingKeys(key: AuthorKey): { forms: string[]; tokens: string[] } {
  if (key.blocking) return key.blocking;
  const t = key.tokens;
  const n = t.length;
  // Surname forms as surnameForms builds them: the last one, two and three tokens joined.
  const forms = [t[n - 1]!];
  if (n >= 2) forms.push(t[n - 2]! + t[n - 1]!);
  if (n >= 3) forms.push(t[n - 3]! + t[n - 2]! + t[n - 1]!);
  const last = t[n - 1]!;
  if (n > 1 && last.length >= 6) forms.push(...deletions(last));
  // Loose spellings of a romanised last name (see looselySame); the prefix keeps them apart from plain forms.
  if (n > 1 && last.length >= 4) forms.push(`~${looseNameKey(last)}`);
  key.blocking = { forms, tokens: t };
  return key.blocking;
}
