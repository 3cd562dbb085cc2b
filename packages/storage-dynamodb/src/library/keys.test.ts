import { compareKeys } from '@sagasync/storage';
import { describe, expect, it } from 'vitest';
import { instantPart, partition, sortKey, TAGS, titlePartition } from './keys.js';

/** UTF-8 byte order, the order DynamoDB sorts string keys in. */
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('sort keys', () => {
  it('sort as the tuples of their parts do, also when a part is a prefix of another or holds the separator', () => {
    const tuples: string[][] = [
      ['a', 'b'],
      ['a b', 'c'],
      ['a', ''],
      ['a\u0000', 'x'],
      ['a\u0001', 'x'],
      ['a\u0002', 'x'],
      ['', 'z'],
      ['ab', 'a'],
      ['a', 'b\u0000c'],
      ['ärger', 'x'],
    ];
    const byTuple = [...tuples].sort((x, y) => compareKeys(x, y));
    const byKey = [...tuples].sort((x, y) => byBytes(sortKey(...x), sortKey(...y)));
    expect(byKey).toEqual(byTuple);
  });

  it('are one-to-one: parts holding the separator do not merge with their neighbours', () => {
    expect(sortKey('a\u0000b', 'c')).not.toBe(sortKey('a', 'b\u0000c'));
    expect(sortKey('a\u0001\u0001')).not.toBe(sortKey('a\u0000'));
  });

  it('encode instants so they sort as times, before 1970 included', () => {
    const instants = [-8.64e15, -1, 0, 1, Date.parse('2024-03-01T10:00:00Z'), 8.64e15];
    const parts = instants.map(instantPart);
    expect(parts.every((part) => part.length === 17)).toBe(true);
    expect([...parts].sort()).toEqual(parts);
    expect(instantPart(8.64e15)).toBe('17280000000000000');
  });
});

describe('partitions', () => {
  it('name the owner and the kind, one-to-one even for owners with # in them', () => {
    expect(partition('local', TAGS.title)).toBe('O#local#T');
    expect(partition('a#S', TAGS.title)).not.toBe(partition('a', TAGS.series));
    expect(titlePartition('a', TAGS.membershipsByTitle, 'B000000001')).toBe('O#a#SMT#B000000001');
    const all = Object.values(TAGS).map((tag) => partition('o#T', tag));
    expect(new Set(all).size).toBe(all.length);
  });
});
