import { SagaSyncError, type Lease, type LeaseRequest } from '@sagasync/core';
import { checkName, decideAcquire, decideRenew, parseLeaseRequest, type ParsedLeaseRequest } from '@sagasync/storage';
import type { Decoders } from './decoders.js';
import { isConditionFailure } from './dynamo-errors.js';
import { ATTR, items, keys } from './items.js';
import { names, type Item, type TableClient } from './table-client.js';

/** Read-decide-write rounds before giving up on a lease others keep changing. */
const MAX_ROUNDS = 10;

/**
 * Leases as compare-and-set: read the lease (strongly consistent), decide with the shared rules,
 * and write only if the item is still exactly what was read (its `d` text, or its absence); a
 * writer that lost the race reads again and decides again, so of many acquiring at once exactly
 * one gets it. No time-to-live: an expired lease stays readable and its fence keeps counting.
 */
export function createLeases(table: TableClient, decode: Decoders) {
  async function read(method: string, owner: string, name: string): Promise<{ lease: Lease | null; item: Item | null }> {
    const item = await table.get(method, keys.lease(owner, name));
    return { lease: item && decode.lease(owner, item), item };
  }

  async function compareAndSet(
    method: string,
    owner: string,
    request: ParsedLeaseRequest,
    decide: (current: Lease | null) => Lease | null,
  ): Promise<Lease | null> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const { lease, item } = await read(method, owner, request.name);
      const next = decide(lease);
      if (!next) return null;
      try {
        await table.put(method, {
          Item: items.lease(next),
          ...(item
            ? { ConditionExpression: '#d = :read', ExpressionAttributeNames: names(ATTR.data), ExpressionAttributeValues: { ':read': item[ATTR.data] } }
            : { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: names('pk') }),
        });
        return next;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new SagaSyncError('version_conflict', `${method}: the lease ${request.name} kept changing while it was being taken; try again`, {
      details: { location: 'name' },
    });
  }

  return {
    acquire: (owner: string, request: LeaseRequest): Promise<Lease | null> => {
      const parsed = parseLeaseRequest(request);
      return compareAndSet('acquireLease', owner, parsed, (current) => decideAcquire(owner, current, parsed));
    },
    renew: (owner: string, request: LeaseRequest): Promise<Lease | null> => {
      const parsed = parseLeaseRequest(request);
      return compareAndSet('renewLease', owner, parsed, (current) => decideRenew(current, parsed));
    },
    /** One conditional delete: the lease goes only while `holder` holds it (expired or not, as in the other adapters). */
    release: async (owner: string, name: string, holder: string): Promise<boolean> => {
      checkName(name, 'name');
      checkName(holder, 'holder');
      try {
        await table.delete('releaseLease', {
          Key: keys.lease(owner, name),
          ConditionExpression: '#h = :holder',
          ExpressionAttributeNames: names(ATTR.holder),
          ExpressionAttributeValues: { ':holder': holder },
        });
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    get: async (owner: string, name: string): Promise<Lease | null> => (await read('getLease', owner, name)).lease,
  };
}
