import {
  AsinSchema,
  ConflictSchema,
  CredentialBlobSchema,
  ExpiringRecordSchema,
  LinkSchema,
  MatchDecisionSchema,
  MirrorRecordSchema,
  MirrorTableNameSchema,
  OwnerIdSchema,
  ProgressHistoryEntrySchema,
  ProgressSchema,
  SagaSyncError,
  SeriesAliasSchema,
  SeriesSchema,
  SourceBaselineSchema,
  SyncRunSchema,
  TitleSchema,
  TrackerBookSchema,
  TrackerSourceSchema,
  VersionSchema,
  type BatchOperation,
} from '@sagasync/core';

const owner = { ownerId: true } as const;
const ownerAndVersion = { ownerId: true, version: true } as const;

// The record shapes a batch carries: the stored schemas without owner (and version).
const dataSchemas = {
  putTitle: TitleSchema.omit(ownerAndVersion),
  putSeries: SeriesSchema.omit(ownerAndVersion),
  putProgress: ProgressSchema.omit(ownerAndVersion),
  putConflict: ConflictSchema.omit(ownerAndVersion),
  appendHistory: ProgressHistoryEntrySchema.omit(owner),
  putTrackerBook: TrackerBookSchema.omit(owner),
  putLink: LinkSchema.omit(owner),
  putDecision: MatchDecisionSchema.omit(owner),
  putSyncRun: SyncRunSchema.omit(owner),
  putCredential: CredentialBlobSchema.omit(owner),
  putMirrorRecord: MirrorRecordSchema.omit(owner),
  putBaseline: SourceBaselineSchema.omit(owner),
  putSeriesAlias: SeriesAliasSchema.omit(owner),
  putExpiring: ExpiringRecordSchema.omit(owner),
} as const;

const putVersion = VersionSchema.nullable().optional();
const deleteVersion = VersionSchema.optional();

interface Check {
  safeParse(
    value: unknown,
  ): { success: true; data: unknown } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

const nonEmpty: Check = {
  safeParse: (value) =>
    typeof value === 'string' && value.length > 0
      ? { success: true, data: value }
      : { success: false, error: { issues: [{ path: [], message: 'expected a non-empty string' }] } },
};

// Field checks per operation, besides `value` (checked with `dataSchemas`).
const fieldChecks: Record<BatchOperation['op'], Record<string, Check>> = {
  putTitle: { expectedVersion: putVersion },
  deleteTitle: { asin: AsinSchema, expectedVersion: deleteVersion },
  putSeries: { expectedVersion: putVersion },
  deleteSeries: { key: nonEmpty, expectedVersion: deleteVersion },
  putProgress: { expectedVersion: putVersion },
  appendHistory: {},
  putTrackerBook: {},
  deleteTrackerBook: { source: TrackerSourceSchema, trackerId: nonEmpty },
  putLink: {},
  deleteLink: { asin: AsinSchema, source: TrackerSourceSchema },
  putConflict: { expectedVersion: putVersion },
  deleteConflict: { id: nonEmpty },
  putDecision: {},
  deleteDecision: { source: TrackerSourceSchema, trackerId: nonEmpty, asin: AsinSchema.nullable() },
  putSyncRun: {},
  putSetting: { key: nonEmpty },
  deleteSetting: { key: nonEmpty },
  putCredential: {},
  deleteCredential: { name: nonEmpty },
  putMirrorRecord: {},
  deleteMirrorRecord: { table: MirrorTableNameSchema, key: nonEmpty },
  putBaseline: {},
  deleteBaseline: { asin: AsinSchema, source: nonEmpty },
  putSeriesAlias: {},
  deleteSeriesAlias: { alias: nonEmpty },
  putExpiring: {},
  deleteExpiring: { kind: nonEmpty, key: nonEmpty },
};

/**
 * Validates every operation of a batch before any is applied, so a bad one fails the batch with
 * nothing written. Parsing copies each value, so a caller that mutates its objects afterwards
 * cannot reach into the store. Errors name the operation and field, never the value.
 */
export function parseOperations(operations: readonly BatchOperation[]): BatchOperation[] {
  if (!Array.isArray(operations)) {
    throw new SagaSyncError('invalid_input', 'applyBatch expects an array of operations');
  }
  return operations.map(parseOperation);
}

/**
 * Validates and copies one operation; `index` is its place in the batch, for the message. An
 * adapter that serialises each operation as it writes it can call this per operation inside its
 * transaction, so a large batch is never held twice in memory.
 */
export function parseOperation(operation: BatchOperation, index: number): BatchOperation {
  const raw = operation as unknown as Record<string, unknown> | null;
  const op = raw?.op;
  if (typeof op !== 'string' || !(op in fieldChecks)) {
    throw invalid(index, String(op), 'op', 'unknown operation');
  }
  const name = op as BatchOperation['op'];
  const parsed: Record<string, unknown> = { op: name };
  for (const [field, check] of Object.entries(fieldChecks[name])) {
    parsed[field] = checkField(check, raw![field], index, name, field);
  }
  if (name === 'putSetting') {
    parsed.value = copyJson(raw!.value, index, name);
  } else if (name in dataSchemas) {
    parsed.value = checkField(dataSchemas[name as keyof typeof dataSchemas], raw!.value, index, name, 'value');
  }
  // Keep `expectedVersion` absent rather than undefined, so "unconditional" has one shape.
  if (parsed.expectedVersion === undefined) delete parsed.expectedVersion;
  return parsed as unknown as BatchOperation;
}

function checkField(check: Check, value: unknown, index: number, op: string, field: string): unknown {
  const result = check.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [field, ...(issue?.path ?? []).map(String)].join('.');
  return throwInvalid(index, op, path, issue?.message ?? 'invalid value');
}

/** Settings must survive a JSON round trip in every backend: plain JSON values only. */
function copyJson(value: unknown, index: number, op: string): unknown {
  const problem = jsonProblem(value, 'value');
  if (problem) throwInvalid(index, op, problem.path, problem.message);
  return JSON.parse(JSON.stringify(value)) as unknown;
}

function jsonProblem(value: unknown, path: string): { path: string; message: string } | null {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : { path, message: 'numbers must be finite' };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = jsonProblem(value[i], `${path}.${i}`);
      if (problem) return problem;
    }
    return null;
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const problem = jsonProblem(item, `${path}.${key}`);
      if (problem) return problem;
    }
    return null;
  }
  return { path, message: `expected a JSON value, got ${value === undefined ? 'undefined' : typeof value}` };
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function invalid(index: number, op: string, path: string, message: string): SagaSyncError {
  const location = `operations[${index}].${path}`;
  return new SagaSyncError('invalid_input', `batch operation ${index} (${op}) is invalid at ${location}: ${message}`, { details: { location } });
}

function throwInvalid(index: number, op: string, path: string, message: string): never {
  throw invalid(index, op, path, message);
}

/** Owner ids are checked on every call: an empty owner would silently merge everyone's data. */
export function parseOwnerId(ownerId: string): string {
  const parsed = OwnerIdSchema.safeParse(ownerId);
  if (!parsed.success) {
    throw new SagaSyncError('invalid_input', 'ownerId must be a string of 1 to 200 characters', { details: { location: 'ownerId' } });
  }
  return parsed.data;
}
