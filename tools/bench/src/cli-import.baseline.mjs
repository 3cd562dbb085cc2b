// Baseline for the CLI import benchmark: the least a program can do with the same file,
// parse it with csv-parse and insert the rows into SQLite in one transaction.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import Database from 'better-sqlite3';

const [file, dbPath] = process.argv.slice(2);
const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
db.exec('CREATE TABLE IF NOT EXISTS titles (asin TEXT PRIMARY KEY, data TEXT NOT NULL)');
const insert = db.prepare('INSERT OR REPLACE INTO titles (asin, data) VALUES (?, ?)');
const rows = [];
for await (const record of createReadStream(file).pipe(parse({ columns: true, delimiter: '\t', relax_quotes: true, bom: true }))) {
  rows.push(record);
}
db.transaction(() => {
  for (const row of rows) insert.run(row.asin, JSON.stringify(row));
})();
db.close();
console.log(rows.length);
