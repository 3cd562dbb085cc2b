import type { Write } from './writes.js';

/** Writes one statement applies together: one table, one action, one condition, each record at most once. */
export interface StatementGroup {
  writes: Write[];
  /** The lowest batch index among `writes` (its first: writes join in batch order). */
  first: number;
}

/** Writes of the same kind can share a statement. */
const kindOf = (write: Write): string => `${write.table.name} ${write.action} ${write.condition}`;
/** The row a write touches; a title's membership rows go with its title. */
const recordOf = (write: Write): string => `${write.table.name} ${JSON.stringify(write.keys)}`;

/**
 * Orders a batch's writes into statement groups, run one after the other, so a batch of a thousand
 * operations is a handful of statements instead of a thousand round trips.
 *
 * Operations on different records commute (no write reads or changes another record: a title's
 * membership rows are keyed by the title), so only each record's own operations must keep their
 * order: a write joins the earliest group of its kind that comes after the group holding the
 * previous write of its record, or starts a new group at the end. That keeps a record out of any
 * group twice too, which an `INSERT ... ON CONFLICT DO UPDATE` needs (it cannot touch a row twice),
 * and lets an import's interleaved progress, history and baseline writes share three statements.
 */
export function planStatementGroups(writes: readonly Write[]): StatementGroup[] {
  const groups: { kind: string; group: StatementGroup }[] = [];
  /** Per record: the position in `groups` of the group holding its latest write. */
  const latest = new Map<string, number>();
  for (const write of writes) {
    const kind = kindOf(write);
    const record = recordOf(write);
    const after = latest.get(record) ?? -1;
    let position = after + 1;
    while (position < groups.length && groups[position]!.kind !== kind) position++;
    if (position === groups.length) groups.push({ kind, group: { writes: [], first: write.index } });
    const { group } = groups[position]!;
    group.writes.push(write);
    latest.set(record, position);
  }
  return groups.map((entry) => entry.group);
}
