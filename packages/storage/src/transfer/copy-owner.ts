import { applyInChunks, SagaSyncError, type BatchOperation, type StoragePort } from '@sagasync/core';
import { parseOwnerId } from '../batch/parse-operations.js';
import type { CredentialSealer } from '../credentials/vault.js';
import { planCopy, type CopyPlan } from './plan-copy.js';
import { readOwnerSnapshot, type OwnerSnapshot, type StoredRecord } from './record-kinds.js';

export interface CopyOwnerOptions {
  from: StoragePort;
  fromOwner: string;
  to: StoragePort;
  toOwner: string;
  /** Overwrite target records changed after the source's, and delete those only the target has. */
  force?: boolean;
  /** Plan and report; write nothing. */
  dryRun?: boolean;
  /**
   * Credentials are copied as the encrypted blobs they are, unless these are given: then each is
   * opened with the source's key and sealed again with the target's.
   */
  reencrypt?: { source: CredentialSealer; target: CredentialSealer };
  /** Called after each applied batch with the writes done so far and in all. */
  onProgress?: (done: number, total: number) => void;
}

export interface CopyOwnerResult extends Omit<CopyPlan, 'writes' | 'deletes'> {
  written: number;
  deleted: number;
  dryRun: boolean;
}

/**
 * Copies one owner's whole store into another store, perhaps under another owner: plans with
 * `planCopy` (equal records are skipped, so it is idempotent and resumes where it stopped), refuses
 * with `version_conflict` when the target holds changes the source lacks unless `force`, then applies in
 * batches within the target's limits. History goes after the progress it belongs to.
 */
export async function copyOwner(options: CopyOwnerOptions): Promise<CopyOwnerResult> {
  const fromOwner = parseOwnerId(options.fromOwner);
  const toOwner = parseOwnerId(options.toOwner);
  const source = await readOwnerSnapshot(options.from, fromOwner);
  let target = await readOwnerSnapshot(options.to, toOwner);
  if (options.reencrypt) source.set('credentials', await resealed(source, target, options.reencrypt));
  let plan = planCopy(source, target, { force: options.force });
  const result = (written: number, deleted: number): CopyOwnerResult => {
    const { writes: _w, deletes: _d, ...rest } = plan;
    return { ...rest, written, deleted, dryRun: Boolean(options.dryRun) };
  };
  if (plan.newerInTarget.length > 0 && !options.force) {
    const sample = plan.newerInTarget.slice(0, 5).map((r) => `${r.kind} ${r.key} (${r.reason === 'newer' ? 'changed later' : 'not in the source'})`);
    throw new SagaSyncError(
      'version_conflict',
      `the target holds ${plan.newerInTarget.length} record${plan.newerInTarget.length === 1 ? '' : 's'} of owner ${toOwner} changed after the source's or missing from it: ${sample.join(', ')}${plan.newerInTarget.length > 5 ? ', …' : ''}; nothing was copied`,
      { details: { hint: 'copy the other way first, or give --force to overwrite them (records only in the target are then deleted)' } },
    );
  }
  if (options.dryRun) return result(0, 0);
  const total = plan.writes.length + plan.deletes.length;
  let deleted = 0;
  if (plan.deletes.length > 0) {
    deleted = plan.deletes.length;
    await apply(options.to, toOwner, plan.deletes, (done) => options.onProgress?.(done, total));
    // Deleting a title takes nothing else with it today, but plan the writes on what is really there.
    target = await readOwnerSnapshot(options.to, toOwner);
    plan = { ...planCopy(source, target, { force: true }), newerInTarget: plan.newerInTarget };
  }
  await apply(options.to, toOwner, plan.writes, (done) => options.onProgress?.(deleted + done, total));
  return result(plan.writes.length, deleted);
}

async function apply(store: StoragePort, owner: string, operations: readonly BatchOperation[], onProgress: (done: number) => void): Promise<void> {
  await applyInChunks(
    store,
    owner,
    operations.map((operation) => [operation]),
    [],
    (written) => onProgress(written),
  );
}

/**
 * The source's credentials sealed with the target's key. A credential the target already holds
 * with the same secret keeps the target's blob, so copying again writes nothing.
 */
async function resealed(source: OwnerSnapshot, target: OwnerSnapshot, keys: NonNullable<CopyOwnerOptions['reencrypt']>): Promise<StoredRecord[]> {
  const theirs = new Map((target.get('credentials') ?? []).map((record) => [String(record.data.name), record]));
  const out: StoredRecord[] = [];
  for (const record of source.get('credentials') ?? []) {
    const name = String(record.data.name);
    const secret = await keys.source.open(name, String(record.data.ciphertext));
    const existing = theirs.get(name);
    if (existing && (await sameSecret(keys.target, name, String(existing.data.ciphertext), secret))) {
      out.push({ ...record, data: { ...record.data, ciphertext: existing.data.ciphertext } });
      continue;
    }
    out.push({ ...record, data: { ...record.data, ciphertext: await keys.target.seal(name, secret) } });
  }
  return out;
}

async function sameSecret(sealer: CredentialSealer, name: string, blob: string, secret: unknown): Promise<boolean> {
  try {
    return JSON.stringify(await sealer.open(name, blob)) === JSON.stringify(secret);
  } catch {
    // Sealed with another key: it will be replaced (and the copy refuses first unless forced, if it is newer).
    return false;
  }
}
