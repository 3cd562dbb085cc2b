import { SagaSyncError, type Lease, type LeaseRequest } from '@sagasync/core';
import { parseOwnerId } from '../batch/parse-operations.js';

/** Leases longer than a day are a mistake (a crashed holder would block for that long). */
const MAX_TTL_MS = 24 * 60 * 60 * 1000;

export interface ParsedLeaseRequest {
  name: string;
  holder: string;
  ttlMs: number;
  nowMs: number;
}

export function parseLeaseRequest(request: LeaseRequest): ParsedLeaseRequest {
  const { name, holder, ttlMs, now } = request ?? ({} as LeaseRequest);
  checkName(name, 'name');
  checkName(holder, 'holder');
  if (!Number.isInteger(ttlMs) || ttlMs < 1 || ttlMs > MAX_TTL_MS) {
    throw new SagaSyncError('invalid_input', `a lease ttlMs must be an integer from 1 to ${MAX_TTL_MS}`, { details: { location: 'ttlMs' } });
  }
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new SagaSyncError('invalid_input', 'a lease request needs the current time as a Date', { details: { location: 'now' } });
  }
  return { name, holder, ttlMs, nowMs: now.getTime() };
}

export function checkName(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200) {
    throw new SagaSyncError('invalid_input', `${field} must be a string of 1 to 200 characters`, { details: { location: field } });
  }
}

export const isLive = (lease: Lease, nowMs: number): boolean => Date.parse(lease.expiresAt) > nowMs;

/**
 * The lease after an acquire, or null when another holder has a live one. The holder's own live
 * lease is extended (same fence); a free or expired one is taken with the next fence.
 */
export function decideAcquire(ownerId: string, current: Lease | null, request: ParsedLeaseRequest): Lease | null {
  if (current && isLive(current, request.nowMs) && current.holder !== request.holder) return null;
  const mine = current !== null && current.holder === request.holder && isLive(current, request.nowMs);
  return {
    ownerId: parseOwnerId(ownerId),
    name: request.name,
    holder: request.holder,
    fence: mine ? current.fence : (current?.fence ?? 0) + 1,
    acquiredAt: mine ? current.acquiredAt : new Date(request.nowMs).toISOString(),
    expiresAt: new Date(request.nowMs + request.ttlMs).toISOString(),
  };
}

/** The extended lease, or null when the holder no longer has a live one. */
export function decideRenew(current: Lease | null, request: ParsedLeaseRequest): Lease | null {
  if (!current || current.holder !== request.holder || !isLive(current, request.nowMs)) return null;
  return { ...current, expiresAt: new Date(request.nowMs + request.ttlMs).toISOString() };
}
