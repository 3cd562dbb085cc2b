import { closeSync, openSync, writeSync } from 'node:fs';

/** The 18 columns of audible-cli's current `library export`. */
export const AUDIBLE_CLI_HEADER = [
  'asin', 'title', 'subtitle', 'extended_product_description', 'authors', 'narrators', 'series_title',
  'series_sequence', 'genres', 'runtime_length_min', 'is_finished', 'percent_complete', 'rating',
  'num_ratings', 'date_added', 'release_date', 'cover_url', 'purchase_date',
] as const;

/** mulberry32: a small seeded PRNG, so the same seed writes the same file byte for byte. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Ada', 'Bram', 'Cleo', 'Dario', 'Edda', 'Fenn', 'Greta', 'Hugo', 'Iris', 'Jory', 'Kaya', 'Lio', 'Mira', 'Nils', 'Orla', 'Pim', 'Quill', 'Rhea', 'Sten', 'Tove'];
const LAST = ['Ashgrove', 'Brightwater', 'Coldmere', 'Dunmore', 'Evenhall', 'Farrow', 'Greystone', 'Hollis', 'Ironwood', 'Juniper', 'Kestrel', 'Larkspur', 'Merrow', 'Northcott', 'Oakhurst', 'Pennick'];
const WORDS = ['Ember', 'Tide', 'Hollow', 'Crown', 'Glass', 'River', 'Night', 'Iron', 'Salt', 'Lantern', 'Orchard', 'Storm', 'Silver', 'Ash', 'Winter', 'Harbor', 'Star', 'Thorn', 'Echo', 'Vale'];
const GENRES = ['Science Fiction & Fantasy', 'Fantasy', 'Epic', 'Science Fiction', 'Space Opera', 'Mystery, Thriller & Suspense', 'Literature & Fiction'];
const ASIN_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** excel-tab quoting, as Python's csv module writes it: quote when needed, double inner quotes. */
function field(value: string): string {
  return /[\t"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Writes a realistic audible-cli `library export` TSV (UTF-8, CRLF, no BOM, header first): HTML
 * descriptions with quotes, tabs and line breaks, several authors and narrators, about 2,000 series
 * with novellas (`2.5`), omnibus ranges (`1-3`), `Book 4` and unnumbered volumes, standalone
 * titles, timestamps with and without milliseconds; rows sorted by ASIN as audible-cli writes them.
 * Deterministic for a given seed.
 */
export async function generateAudibleCliTsv(path: string, rows: number, seed = 1): Promise<{ path: string; rows: number; bytes: number }> {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const person = () => `${pick(FIRST)} ${pick(LAST)}`;
  const seriesCount = Math.max(1, Math.min(2000, Math.floor(rows / 5)));
  const fd = openSync(path, 'w');
  let bytes = 0;
  const write = (text: string) => {
    bytes += writeSync(fd, text);
  };
  try {
    write(`${AUDIBLE_CLI_HEADER.join('\t')}\r\n`);
    let batch: string[] = [];
    // audible-cli sorts its rows by ASIN.
    const asins = new Set<string>();
    while (asins.size < rows) {
      let asin = 'B0';
      for (let k = 0; k < 8; k++) asin += ASIN_CHARS[Math.floor(random() * ASIN_CHARS.length)];
      asins.add(asin);
    }
    const sorted = [...asins].sort();
    asins.clear();
    for (let i = 0; i < rows; i++) {
      const asin = sorted[i]!;
      const title = `The ${pick(WORDS)} of ${pick(WORDS)}${random() < 0.1 ? `: "${pick(WORDS)}" Edition` : ''}`;
      const inSeries = random() < 0.8;
      const seriesNo = Math.floor(random() * seriesCount);
      const seriesTitle = inSeries ? `${WORDS[seriesNo % WORDS.length]} ${WORDS[Math.floor(seriesNo / WORDS.length) % WORDS.length]} Saga ${seriesNo}` : '';
      const volume = 1 + Math.floor(random() * 12);
      const roll = random();
      const sequence = !inSeries ? '' : roll < 0.08 ? `${volume}.5` : roll < 0.12 ? `${volume}-${volume + 2}` : roll < 0.15 ? `Book ${volume}` : roll < 0.18 ? '' : String(volume);
      const subtitle = inSeries && random() < 0.5 ? `${seriesTitle}, Book ${volume}` : '';
      const description =
        `<p>In a world of ${pick(WORDS).toLowerCase()} and ${pick(WORDS).toLowerCase()}, "${person()}" must choose.</p>\n` +
        `<p><b>${pick(WORDS)}</b>\t&amp; more:</p>\n<ul><li>${'A long paragraph of story text. '.repeat(1 + Math.floor(random() * 8))}</li></ul>`;
      const authors = random() < 0.2 ? `${person()}, ${person()}` : person();
      const narrators = random() < 0.3 ? `${person()}, ${person()}` : person();
      const finished = random() < 0.4;
      const percent = finished ? '100.0' : random() < 0.5 ? '0.0' : (Math.floor(random() * 1000) / 10).toFixed(1);
      const year = 2005 + Math.floor(random() * 20);
      const month = 1 + Math.floor(random() * 12);
      const day = 1 + Math.floor(random() * 28);
      const time = `${pad(Math.floor(random() * 24))}:${pad(Math.floor(random() * 60))}:${pad(Math.floor(random() * 60))}`;
      const stamp = random() < 0.9 ? `${year}-${pad(month)}-${pad(day)}T${time}.000Z` : `${year}-${pad(month)}-${pad(day)}T${time}Z`;
      const cells = [
        asin, title, subtitle, description, authors, narrators, seriesTitle, sequence,
        `${pick(GENRES)}, ${pick(GENRES)}`, String(60 + Math.floor(random() * 1800)), finished ? 'True' : 'False', percent,
        (3 + random() * 2).toFixed(1), String(Math.floor(random() * 50000)), stamp,
        `${Math.max(1990, year - 1)}-${pad(month)}-${pad(day)}`, random() < 0.95 ? `https://m.media-amazon.com/images/I/${asin}._SL500_.jpg` : '-', stamp,
      ];
      batch.push(`${cells.map(field).join('\t')}\r\n`);
      if (batch.length === 1000) {
        write(batch.join(''));
        batch = [];
      }
    }
    if (batch.length > 0) write(batch.join(''));
  } finally {
    closeSync(fd);
  }
  return { path, rows, bytes };
}
