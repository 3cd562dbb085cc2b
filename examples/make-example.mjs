// Writes the demo library (invented titles and people) as audible-cli would.
import { writeFileSync } from 'node:fs';
const cols = ['asin','title','subtitle','extended_product_description','authors','narrators','series_title','series_sequence','genres','runtime_length_min','is_finished','percent_complete','rating','num_ratings','date_added','release_date','cover_url','purchase_date'];
let n = 0;
const asin = () => 'B0DEMO' + String(++n).padStart(4, '0');
const cover = (a) => `https://m.media-amazon.example/images/I/${a}._SL500_.jpg`;
const rows = [];
const add = (o) => { const a = o.asin ?? asin(); rows.push({ asin: a, subtitle: '', extended_product_description: `<p>${o.title}: a story told in <b>${o.genres ?? 'Fantasy'}</b>.</p>`, genres: 'Science Fiction & Fantasy, Fantasy', rating: '4.6', num_ratings: String(1000 + n * 37), cover_url: cover(a), ...o, asin: a }); return a; };
const d = (y, m, day) => `${y}-${String(m).padStart(2,'0')}-${String(day).padStart(2,'0')}`;
const ts = (y, m, day) => `${d(y,m,day)}T10:${String(n % 60).padStart(2,'0')}:00.000Z`;
// The Ember Throne: own 1, 2, 3, 5 (4 missing), novella 2.5 not owned.
const ember = [];
[['The Ember Throne', '1', true, 100], ['Crown of Cinders', '2', true, 100], ['The Ashen Court', '3', true, 100], ['Embers of the Last King', '5', false, 42]].forEach(([t, s, fin, pct], i) => {
  ember.push(add({ title: t, authors: 'Mara Vell', narrators: 'Tomas Reyes', series_title: 'The Ember Throne', series_sequence: s, runtime_length_min: String(780 + i * 41), is_finished: fin ? 'True' : 'False', percent_complete: pct.toFixed(1), date_added: ts(2023, 1 + i, 5), release_date: d(2018 + i, 3, 1), purchase_date: ts(2023, 1 + i, 5) }));
});
// Starwake Chronicles: omnibus 1-3 finished, book 4 in progress.
const starOmni = add({ title: 'Starwake: The First Trilogy', subtitle: 'Books 1-3', authors: 'Idris Kaleo', narrators: 'Ada Nwosu, Piet van Leer', series_title: 'Starwake Chronicles', series_sequence: '1-3', genres: 'Science Fiction & Fantasy, Science Fiction, Space Opera', runtime_length_min: '2710', is_finished: 'True', percent_complete: '100.0', date_added: ts(2022, 6, 1), release_date: d(2021, 9, 14), purchase_date: ts(2022, 6, 1) });
const star4 = add({ title: 'Starwake: Dark Harbor', authors: 'Idris Kaleo', narrators: 'Ada Nwosu', series_title: 'Starwake Chronicles', series_sequence: 'Book 4', genres: 'Science Fiction & Fantasy, Science Fiction, Space Opera', runtime_length_min: '905', is_finished: 'False', percent_complete: '37.5', date_added: ts(2024, 2, 11), release_date: d(2023, 11, 2), purchase_date: ts(2024, 2, 11) });
// Hollow Pines Mysteries: 1-6 all owned and finished -> complete.
const pines = [];
['The Hollow Pines', 'A Body at Birch Lane', 'The Lantern Keeper', 'Frost on the Millpond', 'The Orchard Affair', 'Last Light at Hollow Pines'].forEach((t, i) => {
  pines.push(add({ title: t, subtitle: `A Hollow Pines Mystery, Book ${i + 1}`, authors: 'Jun Takahara, Beth Orlo', narrators: 'Greta Lindqvist', series_title: 'Hollow Pines Mysteries', series_sequence: String(i + 1), genres: 'Mystery, Thriller & Suspense, Mystery, Cozy', runtime_length_min: String(480 + i * 13), is_finished: 'True', percent_complete: '100.0', date_added: ts(2021, 1 + i, 20), release_date: d(2015 + i, 5, 5), purchase_date: ts(2021, 1 + i, 20) }));
});
// Ledger of Kings: 1-3 finished; book 4 exists (series metadata) but is not owned -> caught up.
const ledger = [];
['Ledger of Kings', 'The Debt of Crowns', 'A Reckoning in Gold'].forEach((t, i) => {
  ledger.push(add({ title: t, authors: 'Ottilie Brand', narrators: 'Samuel Achebe', series_title: 'Ledger of Kings', series_sequence: String(i + 1), runtime_length_min: String(820 + i * 30), is_finished: 'True', percent_complete: '100.0', date_added: ts(2020, 3 + i, 2), release_date: d(2017 + i, 8, 8), purchase_date: ts(2020, 3 + i, 2) }));
});
// Copper & Quill: book 1, a dramatized adaptation of book 2, not started.
const copper1 = add({ title: 'Copper & Quill', authors: 'Rhys Penhallow', narrators: 'Full Cast', series_title: 'Copper & Quill', series_sequence: '1', genres: 'Science Fiction & Fantasy, Fantasy, Steampunk', runtime_length_min: '610', is_finished: 'False', percent_complete: '0.0', date_added: ts(2024, 7, 7), release_date: d(2022, 1, 18), purchase_date: ts(2024, 7, 7) });
const copper2 = add({ title: 'The Brass Cartographer', subtitle: 'A Full-Cast Production', authors: 'Rhys Penhallow', narrators: 'Full Cast, "Mags" O\'Dell', series_title: 'Copper & Quill', series_sequence: '2, Dramatized Adaptation', genres: 'Science Fiction & Fantasy, Fantasy, Steampunk', runtime_length_min: '402', is_finished: 'False', percent_complete: '0.0', date_added: ts(2024, 7, 7), release_date: d(2023, 4, 4), purchase_date: ts(2024, 7, 7) });
// Tidewater: book 1 owned and finished, book 3 owned in progress (2 missing, inferred).
const tide1 = add({ title: 'The Long Tide', authors: 'Selin Aydın', narrators: 'Noor Haddad', series_title: 'Tidewater', series_sequence: '1', runtime_length_min: '700', is_finished: 'True', percent_complete: '100.0', date_added: ts(2022, 10, 10), release_date: d(2019, 10, 1), purchase_date: ts(2022, 10, 10), extended_product_description: '<p>The sea keeps what it takes.<br/>Until it doesn\'t.</p>\n<p>"Haunting" &mdash; an invented review</p>' });
const tide3 = add({ title: 'Salt and Silence', authors: 'Selin Aydın', narrators: 'Noor Haddad', series_title: 'Tidewater', series_sequence: '3', runtime_length_min: '745', is_finished: 'False', percent_complete: '12.0', date_added: ts(2025, 1, 3), release_date: d(2024, 6, 1), purchase_date: ts(2025, 1, 3) });
// Standalones.
add({ title: 'The Quiet Engineer', subtitle: 'Notes on Building Things That Last', authors: 'Hana Morrow', narrators: 'Hana Morrow', genres: 'Business & Careers, Career Success', runtime_length_min: '355', is_finished: 'False', percent_complete: '64.2', date_added: ts(2025, 4, 1), release_date: d(2024, 2, 20), purchase_date: ts(2025, 4, 1) });
add({ title: 'Between Two Rivers', authors: 'Amadou Diallo', narrators: 'Kwame Asante', genres: 'Literature & Fiction, Historical Fiction', runtime_length_min: '830', is_finished: 'False', percent_complete: '0.0', date_added: ts(2025, 5, 9), release_date: d(2020, 9, 9), purchase_date: ts(2025, 5, 9) });
rows.sort((a, b) => a.asin.localeCompare(b.asin));
const esc = (v) => (/[\t\n\r"]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v);
const tsv = [cols.join('\t'), ...rows.map((r) => cols.map((c) => esc(String(r[c] ?? ''))).join('\t'))].join('\r\n') + '\r\n';
writeFileSync('library.tsv', tsv);
const vol = (a, title, sequence, owned, release, authors, narrators) => ({ asin: a, title, sequence, sort: sequence, owned, authors, narrators, releaseDate: release, runtimeMinutes: null, coverUrl: null });
const meta = {
  format: 'sagasync-series-metadata', version: 1, generatedAt: '2026-11-20T08:00:00.000Z', marketplace: 'us',
  series: [
    { asin: null, title: 'The Ember Throne', volumes: [
      vol(ember[0], 'The Ember Throne', '1', true, '2018-03-01', ['Mara Vell'], ['Tomas Reyes']),
      vol(ember[1], 'Crown of Cinders', '2', true, '2019-03-01', ['Mara Vell'], ['Tomas Reyes']),
      vol(asin(), 'Ashes Between', '2.5', false, '2019-09-01', ['Mara Vell'], ['Tomas Reyes']),
      vol(ember[2], 'The Ashen Court', '3', true, '2020-03-01', ['Mara Vell'], ['Tomas Reyes']),
      vol(asin(), 'The Smoke Regent', '4', false, '2020-09-01', ['Mara Vell'], ['Tomas Reyes']),
      vol(ember[3], 'Embers of the Last King', '5', true, '2021-03-01', ['Mara Vell'], ['Tomas Reyes']),
    ] },
    { asin: null, title: 'Starwake Chronicles', volumes: [
      vol(starOmni, 'Starwake: The First Trilogy', '1-3', true, '2021-09-14', ['Idris Kaleo'], ['Ada Nwosu', 'Piet van Leer']),
      vol(star4, 'Starwake: Dark Harbor', '4', true, '2023-11-02', ['Idris Kaleo'], ['Ada Nwosu']),
      vol(asin(), 'Starwake: The Far Shoal', '5', false, '2027-05-04', ['Idris Kaleo'], ['Ada Nwosu']),
    ] },
    { asin: null, title: 'Ledger of Kings', volumes: [
      ...ledger.map((a, i) => vol(a, ['Ledger of Kings', 'The Debt of Crowns', 'A Reckoning in Gold'][i], String(i + 1), true, `${2017 + i}-08-08`, ['Ottilie Brand'], ['Samuel Achebe'])),
      vol(asin(), 'The Bankrupt Throne', '4', false, '2024-08-08', ['Ottilie Brand'], ['Samuel Achebe']),
    ] },
    // A title in two series: The Long Tide is Tidewater #1 and The Drowned World Cycle #4.
    { asin: null, title: 'The Drowned World Cycle', volumes: [
      vol(asin(), 'Before the Flood', '1', false, '2012-04-01', ['Ines Carrow'], ['Noor Haddad']),
      vol(asin(), 'The Sunken Bell', '2', false, '2014-04-01', ['Ines Carrow'], ['Noor Haddad']),
      vol(asin(), 'Low Water', '3', false, '2016-04-01', ['Ines Carrow'], ['Noor Haddad']),
      vol(tide1, 'The Long Tide', '4', true, '2019-10-01', ['Selin Aydın'], ['Noor Haddad']),
    ] },
  ],
};
writeFileSync('series-metadata.json', JSON.stringify(meta, null, 2) + '\n');
console.log(rows.length, 'titles');
