import type Database from 'better-sqlite3';
import { VersionConflictError } from '@sagasync/core';

type Value = string | number | null;

/**
 * Prepared writes for a table with optimistic versions. `keys` name the primary key columns,
 * `columns` the other columns written on each put (`data` last). Every statement is prepared once.
 */
export class VersionedTableWriter {
  private readonly upsert: Database.Statement;
  private readonly insertNew: Database.Statement;
  private readonly updateAt: Database.Statement;
  private readonly selectVersion: Database.Statement<Value[], { version: number }>;
  private readonly deleteAny: Database.Statement;
  private readonly deleteAt: Database.Statement;

  constructor(db: Database.Database, private readonly entity: string, table: string, keys: readonly string[], columns: readonly string[]) {
    const all = [...keys, ...columns];
    const where = keys.map((key) => `${key} = ?`).join(' AND ');
    const placeholders = all.map(() => '?').join(', ');
    this.upsert = db.prepare(
      `INSERT INTO ${table} (${all.join(', ')}, version) VALUES (${placeholders}, 1)
       ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${columns.map((column) => `${column} = excluded.${column}`).join(', ')}, version = ${table}.version + 1`,
    );
    this.insertNew = db.prepare(`INSERT INTO ${table} (${all.join(', ')}, version) VALUES (${placeholders}, 1) ON CONFLICT DO NOTHING`);
    this.updateAt = db.prepare(
      `UPDATE ${table} SET ${columns.map((column) => `${column} = ?`).join(', ')}, version = version + 1 WHERE ${where} AND version = ?`,
    );
    this.selectVersion = db.prepare<Value[], { version: number }>(`SELECT version FROM ${table} WHERE ${where}`);
    this.deleteAny = db.prepare(`DELETE FROM ${table} WHERE ${where}`);
    this.deleteAt = db.prepare(`DELETE FROM ${table} WHERE ${where} AND version = ?`);
  }

  /** `label` names the record in a conflict message (the key without the owner). */
  put(keys: readonly Value[], columns: readonly Value[], expectedVersion: number | null | undefined, label: string): void {
    if (expectedVersion === undefined) {
      this.upsert.run(...keys, ...columns);
    } else if (expectedVersion === null) {
      if (this.insertNew.run(...keys, ...columns).changes === 0) throw this.conflict(keys, null, label);
    } else if (this.updateAt.run(...columns, ...keys, expectedVersion).changes === 0) {
      throw this.conflict(keys, expectedVersion, label);
    }
  }

  remove(keys: readonly Value[], expectedVersion: number | undefined, label: string): void {
    if (expectedVersion === undefined) this.deleteAny.run(...keys);
    else if (this.deleteAt.run(...keys, expectedVersion).changes === 0) throw this.conflict(keys, expectedVersion, label);
  }

  private conflict(keys: readonly Value[], expected: number | null, label: string): VersionConflictError {
    const actual = this.selectVersion.get(...keys)?.version ?? null;
    return new VersionConflictError(this.entity, label, expected, actual);
  }
}

/** Prepared writes for a table without versions: a put replaces, `insertOnce` keeps the first. */
export class PlainTableWriter {
  private readonly upsert: Database.Statement;
  private readonly insertIgnore: Database.Statement;
  private readonly deleteAny: Database.Statement;

  constructor(db: Database.Database, table: string, keys: readonly string[], columns: readonly string[]) {
    const all = [...keys, ...columns];
    const placeholders = all.map(() => '?').join(', ');
    this.upsert = db.prepare(
      `INSERT INTO ${table} (${all.join(', ')}) VALUES (${placeholders})
       ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${columns.map((column) => `${column} = excluded.${column}`).join(', ')}`,
    );
    this.insertIgnore = db.prepare(`INSERT INTO ${table} (${all.join(', ')}) VALUES (${placeholders}) ON CONFLICT DO NOTHING`);
    this.deleteAny = db.prepare(`DELETE FROM ${table} WHERE ${keys.map((key) => `${key} = ?`).join(' AND ')}`);
  }

  put(keys: readonly Value[], columns: readonly Value[]): void {
    this.upsert.run(...keys, ...columns);
  }

  insertOnce(keys: readonly Value[], columns: readonly Value[]): void {
    this.insertIgnore.run(...keys, ...columns);
  }

  remove(keys: readonly Value[]): void {
    this.deleteAny.run(...keys);
  }
}
