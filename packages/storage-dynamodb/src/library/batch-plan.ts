import { VersionConflictError } from '@sagasync/core';
import { wireNumber, type WireValue } from './dynamo-errors.js';
import { ATTR } from './items.js';
import { keyId, type ItemKey } from './keys.js';
import type { Target } from './operation-targets.js';
import type { TitleWrite } from './series-hints.js';
import type { Item, TransactItem } from './table-client.js';

type VersionedTarget = Extract<Target, { kind: 'versioned' }>;

/** The operations of one batch that touch one item, in batch order. */
export interface Slot {
  key: ItemKey;
  targets: Target[];
}

/** What an item was (read, or assumed from what its first operation expects). */
interface StoredState {
  exists: boolean;
  version: number;
  /** A title's series keys. */
  memberships: readonly string[];
}

const ABSENT: StoredState = { exists: false, version: 0, memberships: [] };

/** One transaction action and the slot it came from (to explain a failed condition). */
interface PlannedWrite {
  slot: Slot;
  action: TransactItem;
}

export interface BatchPlan {
  writes: PlannedWrite[];
  /** Every title the batch writes or deletes, with its series before and after. */
  titles: TitleWrite[];
}

/**
 * Groups targets by item. DynamoDB refuses a transaction with two actions on one item, so the
 * operations on one item fold into one action (a put then an update of a title is one put of its
 * last state); every slot is then at most one action, and a batch of 100 operations never needs
 * more than the 100 a TransactWriteItems takes.
 */
export function slotsOf(targets: readonly Target[]): Slot[] {
  const slots = new Map<string, Slot>();
  for (const target of targets) {
    const id = keyId(target.key);
    const slot = slots.get(id);
    if (slot) slot.targets.push(target);
    else slots.set(id, { key: target.key, targets: [target] });
  }
  return [...slots.values()];
}

/**
 * Whether a slot's item must be read before planning: a history entry (to skip ids that exist), a
 * versioned record whose first operation is unconditional (its next version is the current one
 * plus one), and a title unless it is created (the hints need the series it was in). A record
 * whose first operation names the version it expects is not read: that expectation becomes the
 * write's condition.
 */
export function needsRead(slot: Slot): boolean {
  const first = slot.targets[0]!;
  if (first.kind === 'plain') return false;
  if (first.kind === 'append') return true;
  if (first.entity === 'title') return !(first.item !== null && first.expectedVersion === null);
  return first.expectedVersion === undefined;
}

/** The item attributes `needsRead` reads. */
export const READ_ATTRIBUTES = ['pk', 'sk', ATTR.version, ATTR.memberships] as const;

/**
 * Plans a batch as one transaction: each slot's operations are checked against the state read
 * (or the state its first operation expects) as the other adapters check them against their
 * rows, throwing the same VersionConflictError, and become one action conditioned on that state.
 * Conditions on states we read are our own (a failure means "read again"); conditions on states
 * the caller named are the caller's (see `conflictFromCancellation`).
 */
export function planBatch(tableName: string, slots: readonly Slot[], read: ReadonlyMap<string, Item>): BatchPlan {
  const writes: PlannedWrite[] = [];
  const titles: TitleWrite[] = [];
  for (const slot of slots) {
    const first = slot.targets[0]!;
    const stored = read.get(keyId(slot.key));
    let action: TransactItem | null;
    if (first.kind === 'plain') {
      const last = slot.targets[slot.targets.length - 1] as Extract<Target, { kind: 'plain' }>;
      action = last.item ? putAction(tableName, last.item) : deleteAction(tableName, slot.key);
    } else if (first.kind === 'append') {
      // The first entry with an id wins, in the batch as across batches; the condition catches an
      // entry appended by someone else since we read.
      action = stored ? null : putAction(tableName, first.item, ABSENT);
    } else {
      const targets = slot.targets as VersionedTarget[];
      const initial = needsRead(slot) ? stateOf(stored) : assumedState(first);
      const item = simulate(targets, initial);
      const callerConditioned = targets.some((target) => target.expectedVersion !== undefined);
      if (item) action = putAction(tableName, item, initial);
      // Deleting what is not there changes nothing; keep the action only to check the caller's expectation.
      else if (!initial.exists && !callerConditioned) action = null;
      else action = deleteAction(tableName, slot.key, initial);
      // A title the batch really writes: a check-only action changes nothing, so it leaves hints alone.
      if (first.entity === 'title' && action && (item || initial.exists)) {
        const after = item ? (item[ATTR.memberships] as string[]) : [];
        titles.push({ asin: first.label, existed: initial.exists, before: initial.memberships, after });
      }
    }
    if (action) writes.push({ slot, action });
  }
  return { writes, titles };
}

/**
 * After a condition of `slot` failed, with `old` the item as it was then (DynamoDB returns it):
 * throws the VersionConflictError the caller's expectations meet against it, or returns when
 * they hold and only our own read was stale (then the batch is planned again).
 */
export function conflictFromCancellation(slot: Slot, old: Record<string, WireValue> | undefined): void {
  const first = slot.targets[0]!;
  if (first.kind !== 'versioned') return;
  const version = wireNumber(old, ATTR.version);
  simulate(slot.targets as VersionedTarget[], version === undefined ? ABSENT : { exists: true, version, memberships: [] });
}

function stateOf(item: Item | undefined): StoredState {
  if (!item) return ABSENT;
  return { exists: true, version: item[ATTR.version] as number, memberships: (item[ATTR.memberships] as string[] | undefined) ?? [] };
}

function assumedState(first: VersionedTarget): StoredState {
  return typeof first.expectedVersion === 'number' ? { exists: true, version: first.expectedVersion, memberships: [] } : ABSENT;
}

/** Applies one item's operations in order, as the memory adapter does: the item they leave, or null when they delete it. */
function simulate(targets: readonly VersionedTarget[], initial: StoredState): Item | null {
  let exists = initial.exists;
  let version = initial.version;
  let item: Item | null = null;
  for (const target of targets) {
    const expected = target.expectedVersion;
    const actual = exists ? version : null;
    if (expected !== undefined && (expected === null ? exists : actual !== expected)) {
      throw new VersionConflictError(target.entity, target.label, expected, actual);
    }
    if (target.item) {
      version = (exists ? version : 0) + 1;
      exists = true;
      item = target.item(version);
    } else {
      exists = false;
      item = null;
    }
  }
  return item;
}

/** The condition that the item is still in `state`. */
function conditionOn(state: StoredState): { ConditionExpression: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues?: Item } {
  return state.exists
    ? { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': ATTR.version }, ExpressionAttributeValues: { ':v': state.version } }
    : { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'pk' } };
}

// ALL_OLD: a failed condition comes back with the item as it was, so a conflict names the version found.
function putAction(tableName: string, item: Item, state?: StoredState): TransactItem {
  return { Put: { TableName: tableName, Item: item, ...(state ? { ...conditionOn(state), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } : {}) } };
}

function deleteAction(tableName: string, key: ItemKey, state?: StoredState): TransactItem {
  return { Delete: { TableName: tableName, Key: { ...key }, ...(state ? { ...conditionOn(state), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } : {}) } };
}
