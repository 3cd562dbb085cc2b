import { describe, expect, it } from 'vitest';
import { AppendList } from './append-list.js';

describe('AppendList', () => {
  it('keeps order, reads and replaces items across chunk boundaries, and builds one array', () => {
    const list = new AppendList<number>();
    expect(list.toArray()).toEqual([]);
    for (let i = 0; i < 10_000; i++) list.push(i);
    expect(list.length).toBe(10_000);
    expect([list.get(0), list.get(4095), list.get(4096), list.get(9_999)]).toEqual([0, 4095, 4096, 9_999]);
    expect(list.get(10_000)).toBeUndefined();
    expect(list.get(-1)).toBeUndefined();
    list.set(4096, -1);
    list.set(9_999, -2);
    const seen: number[] = [];
    list.forEach((item, index) => {
      if (item !== index) seen.push(index);
    });
    expect(seen).toEqual([4096, 9_999]);
    const array = list.toArray();
    expect(array).toHaveLength(10_000);
    expect([array[4095], array[4096], array[9_999]]).toEqual([4095, -1, -2]);
    expect(() => list.set(10_000, 0)).toThrow(RangeError);
  });

  it('is empty again after clear', () => {
    const list = new AppendList<string>();
    for (let i = 0; i < 5000; i++) list.push(String(i));
    list.clear();
    expect(list.length).toBe(0);
    expect(list.toArray()).toEqual([]);
    list.push('again');
    expect(list.toArray()).toEqual(['again']);
  });
});
