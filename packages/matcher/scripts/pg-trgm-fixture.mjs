#!/usr/bin/env node
/**
 * Computes reference values with a real PostgreSQL + pg_trgm, for the fidelity test of
 * src/similarity/trigram.ts. Usage (cluster started with -E UTF8 --locale=C.UTF-8, see README):
 *
 *   node packages/matcher/scripts/pg-trgm-fixture.mjs --port 54399 > packages/matcher/test/fixtures/pg-trgm-similarity.json
 *
 * Pairs are hand-picked edge cases plus deterministic pseudo-random strings over a mixed
 * alphabet (Latin with diacritics, Greek, Cyrillic, CJK, Arabic digits, punctuation, emoji).
 */
import { execFileSync } from 'node:child_process';

const args = process.argv.slice(2);
const port = args[args.indexOf('--port') + 1] ?? '54399';
const host = args.includes('--host') ? args[args.indexOf('--host') + 1] : '127.0.0.1';

const handPicked = [
  ['', ''],
  ['', 'dune'],
  ['dune', ''],
  ['Dune', 'dune'],
  ['Dune', 'Dune Messiah'],
  ['Dune (Dune, #1)', 'Dune: Dune, Book 1'],
  ['The Lord of the Rings', 'Lord of the Rings'],
  ['J.R.R. Tolkien', 'J. R. R. Tolkien'],
  ['Tolkien, J.R.R.', 'J.R.R. Tolkien'],
  ['Harry Potter and the Chamber of Secrets', 'Harry Potter and the Prisoner of Azkaban'],
  ['a', 'a'],
  ['a', 'b'],
  ['ab', 'ab'],
  ['abc', 'abcd'],
  ['word', 'WORD'],
  ['Ünïcode', 'unicode'],
  ['Straße', 'strasse'],
  ['Crème Brûlée', 'Creme Brulee'],
  ['Crème Brûlée', 'crème brûlée'],
  ['ΣΟΦΙΑ', 'σοφια'],
  ['ΟΔΟΣ', 'οδος'],
  ['ΟΔΟΣ', 'οδοσ'],
  ['İstanbul', 'istanbul'],
  ['Istanbul', 'ıstanbul'],
  ['Война и мир', 'ВОЙНА И МИР'],
  ['Война и мир', 'Voina i mir'],
  ['三体', '三体 II'],
  ['ノルウェイの森', 'ノルウェイの森 上'],
  ['x½²٣', 'x ٣'],
  ['Catch-22', 'Catch 22'],
  ['1Q84', '1q84'],
  ['Fahrenheit 451', 'Fahrenheit 452'],
  ['  leading and trailing  ', 'leading and trailing'],
  ['tab\tseparated\nlines', 'tab separated lines'],
  ["Ender's Game", 'Enders Game'],
  ['Ender’s Game', "Ender's Game"],
  ['“Quoted” title', '"Quoted" title'],
  ['a.b.c', 'abc'],
  ['hello_world', 'hello world'],
  ['ça va', 'ca va'],
  ['naïve café', 'naive cafe'],
  ['Łódź', 'Lodz'],
  ['Ærøskøbing', 'aeroskobing'],
  ['ﬁnancial', 'financial'],
  ['Ⅻ', 'xii'],
  ['123', '1234'],
  ['0', '0'],
  ['!!!', '???'],
  ['!!!', ''],
  ['e\u0301', 'é'],
  ['emoji 📚 books', 'emoji books'],
  ['🙂', '🙂'],
  ['aaa', 'aaaa'],
  ['aaaa aaaa', 'aaaa'],
  ['The The The', 'the'],
  ['Mr. & Mrs. Smith', 'Mr and Mrs Smith'],
  ['Ｆｕｌｌｗｉｄｔｈ', 'fullwidth'],
  ['A Song of Ice and Fire', 'A Song of Ice & Fire'],
  ['Stanisław Lem', 'Stanislaw Lem'],
  ['Gabriel García Márquez', 'Gabriel Garcia Marquez'],
  ['Cien años de soledad', 'One Hundred Years of Solitude'],
  ['שלום עולם', 'שלום'],
  ['مرحبا بالعالم', 'مرحبا'],
  ['हिन्दी', 'हिंदी'],
  ['ไทย', 'ไทย ภาษา'],
  ['ǅemal', 'džemal'],
  ['Σίσυφος', 'σισυφος'],
  ['ﬀ', 'ff'],
  ['x'.repeat(40), 'x'.repeat(41)],
];

// Deterministic PRNG (mulberry32) so the script is reproducible.
function rng(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(20261125);
const alphabet = [
  ...'abcdefghijklmnopqrstuvwxyz',
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ...'0123456789',
  ...'éèêëàâäöüßçñøåÉÖÜŁłŠšŽžİı',
  ...'αβγδεΣσςΩωЖжЩщЯя',
  ...'三体森林ノルウ',
  ...'٣٤',
  ...'     ',
  ...".,:;!?'\"-()[]&/’“”…–—",
  '📚',
];
function randomString(maxLen) {
  const len = Math.floor(random() * maxLen);
  let s = '';
  for (let i = 0; i < len; i++) s += alphabet[Math.floor(random() * alphabet.length)];
  return s;
}
function mutate(s) {
  const chars = [...s];
  const edits = 1 + Math.floor(random() * 3);
  for (let i = 0; i < edits && chars.length > 0; i++) {
    const at = Math.floor(random() * chars.length);
    const kind = random();
    if (kind < 0.33) chars.splice(at, 1);
    else if (kind < 0.66) chars.splice(at, 0, alphabet[Math.floor(random() * alphabet.length)]);
    else chars[at] = alphabet[Math.floor(random() * alphabet.length)];
  }
  return chars.join('');
}
const generated = [];
for (let i = 0; i < 130; i++) {
  const a = randomString(24);
  generated.push([a, random() < 0.6 ? mutate(a) : randomString(24)]);
}
// Realistic titles and their noisy variants.
const titles = [
  'Leviathan Wakes', 'The Way of Kings', 'A Game of Thrones', 'Project Hail Mary', 'The Name of the Wind',
  'Sapiens: A Brief History of Humankind', 'Der Schatten des Windes', 'La sombra del viento', 'Les Misérables',
  'Mistborn: The Final Empire', 'The Hitchhiker’s Guide to the Galaxy', 'Children of Time', 'Piranesi',
  'The Three-Body Problem', 'Norwegian Wood', 'Pan Tadeusz', 'Преступление и наказание', 'Jonathan Strange & Mr Norrell',
];
for (const t of titles) {
  generated.push([t, mutate(t)]);
  generated.push([t, t.toUpperCase()]);
  generated.push([t, titles[Math.floor(random() * titles.length)]]);
}

const pairs = [...handPicked, ...generated];
// E'' literals with every character escaped as \uXXXX / \UXXXXXXXX avoid any quoting issue.
const lit = (s) =>
  "E'" +
  [...s]
    .map((c) => {
      const cp = c.codePointAt(0);
      return cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
    })
    .join('') +
  "'";
const values = pairs.map(([a, b], i) => `(${i}, ${lit(a)}, ${lit(b)})`).join(',\n');
const sql = `select json_agg(json_build_object('a', a, 'b', b, 'similarity', similarity(a, b)::float8, 'trigramCount', array_length(show_trgm(a), 1)) order by i)
from (values ${values}) as p(i, a, b);`;
const out = execFileSync('psql', ['-h', host, '-p', port, '-U', 'postgres', '-At', '-v', 'ON_ERROR_STOP=1', '-f', '-'], {
  input: sql,
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
const rows = JSON.parse(out.trim());
const info = execFileSync('psql', ['-h', host, '-p', port, '-U', 'postgres', '-At', '-c', "select version() || ' | lc_ctype=' || current_setting('lc_ctype') || ' | encoding=' || current_setting('server_encoding')"], {
  encoding: 'utf8',
}).trim();
process.stdout.write(JSON.stringify({ generatedBy: 'packages/matcher/scripts/pg-trgm-fixture.mjs', server: info, pairs: rows }, null, 1) + '\n');
