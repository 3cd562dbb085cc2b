export { RECORD_KINDS, readOwnerSnapshot, canonicalJson, type OwnerSnapshot, type RecordKind, type StoredRecord, type PlainRecord } from './record-kinds.js';
export { planCopy, type CopyPlan, type NewerInTarget } from './plan-copy.js';
export { copyOwner, type CopyOwnerOptions, type CopyOwnerResult } from './copy-owner.js';
export { dumpOwner, dumpLines, type OwnerDump } from './dump-owner.js';
