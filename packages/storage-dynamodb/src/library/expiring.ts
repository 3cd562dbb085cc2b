import type { ExpiringData, ExpiringRecord, Page, PageRequest } from '@sagasync/core';
import { checkKindAndKey, checkName, isUnexpired, parseExpiringData, parseNow } from '@sagasync/storage';
import { forEachLimited } from './concurrency.js';
import type { Decoders } from './decoders.js';
import { isConditionFailure, wireString, type WireValue } from './dynamo-errors.js';
import { ATTR, invalidItem, items, keys } from './items.js';
import { partition, sortKeyPrefix, TAGS } from './keys.js';
import { listPage } from './list-page.js';
import { names, projectionOf, type TableClient } from './table-client.js';

/** Conditional deletes in flight at once while purging. */
const PURGE_CONCURRENCY = 8;

/**
 * Expiring records: one item each under (kind, key), with the expiry as `exp` (milliseconds, for
 * the conditions and filters that decide with the caller's `now`) and as the table's `ttl`
 * (seconds, so DynamoDB deletes what nobody purges). Reads never trust the ttl: DynamoDB deletes
 * expired items up to days late.
 */
export function createExpiring(table: TableClient, decode: Decoders) {
  return {
    get: async (owner: string, kind: string, key: string, now: Date): Promise<ExpiringRecord | null> => {
      checkKindAndKey(kind, key);
      const nowMs = parseNow(now);
      const item = await table.get('getExpiring', keys.expiring(owner, kind, key));
      const record = item && decode.expiring(owner, item);
      return record && isUnexpired(record, nowMs) ? record : null;
    },

    /** With `ifAbsent`, one conditional put: it stores only over nothing or an expired record, and a refusal returns the record that stays. */
    put: async (owner: string, record: ExpiringData, options: { ifAbsent?: boolean; now: Date }): Promise<{ stored: boolean; current: ExpiringRecord }> => {
      const value = parseExpiringData(record);
      const nowMs = parseNow(options?.now);
      try {
        await table.put('putExpiring', {
          Item: items.expiring(owner, value),
          ...(options.ifAbsent
            ? {
                ConditionExpression: 'attribute_not_exists(#pk) OR #exp <= :now',
                ExpressionAttributeNames: names('pk', ATTR.expiresMs),
                ExpressionAttributeValues: { ':now': nowMs },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
              }
            : {}),
        });
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const old = (error as { Item?: Record<string, WireValue> }).Item;
        const data = wireString(old, ATTR.data);
        if (data === undefined) throw invalidItem(table.tableName, 'expiring record', { sk: keys.expiring(owner, value.kind, value.key).sk }, 'no d');
        return { stored: false, current: decode.expiring(owner, { [ATTR.data]: data }) };
      }
      return { stored: true, current: { ...value, ownerId: owner } };
    },

    list: (owner: string, kind: string, now: Date, query?: PageRequest): Promise<Page<ExpiringRecord>> => {
      checkName(kind, 'kind');
      const nowMs = parseNow(now);
      return listPage(
        table,
        {
          method: 'listExpiring',
          partition: partition(owner, TAGS.expiring),
          prefix: sortKeyPrefix(kind),
          filter: { expression: '#exp > :now', names: names(ATTR.expiresMs), values: { ':now': nowMs } },
          arity: 1,
          decode: (item) => decode.expiring(owner, item),
          cursorOf: (record) => [record.key],
          startAfter: ([key]) => {
            const start = keys.expiring(owner, kind, String(key));
            return { key: { ...start }, sortValue: start.sk };
          },
        },
        query,
      );
    },

    /**
     * Finds the expired records (a Query of the owner's expiring partition, keys only) and
     * deletes each on the condition that it is still expired, so a record put again meanwhile stays.
     */
    purge: async (owner: string, now: Date): Promise<number> => {
      const nowMs = parseNow(now);
      const expired: { pk: string; sk: string }[] = [];
      for await (const page of table.query('purgeExpired', {
        ConsistentRead: true,
        KeyConditionExpression: '#pk = :pk',
        FilterExpression: '#exp <= :now',
        ExpressionAttributeNames: names('pk', 'sk', ATTR.expiresMs),
        ExpressionAttributeValues: { ':pk': partition(owner, TAGS.expiring), ':now': nowMs },
        ProjectionExpression: projectionOf(['pk', 'sk']),
      })) {
        for (const item of page) expired.push({ pk: item.pk as string, sk: item.sk as string });
      }
      let purged = 0;
      await forEachLimited(expired, PURGE_CONCURRENCY, async (key) => {
        try {
          await table.delete('purgeExpired', {
            Key: key,
            ConditionExpression: '#exp <= :now',
            ExpressionAttributeNames: names(ATTR.expiresMs),
            ExpressionAttributeValues: { ':now': nowMs },
          });
          purged++;
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
      });
      return purged;
    },
  };
}
