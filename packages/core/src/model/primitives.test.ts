import { describe, expect, it } from 'vitest';
import { IsoDateSchema } from './primitives.js';

describe('IsoDateSchema', () => {
  it.each(['2021-03-01', '2024-02-29', '2023-01-05T10:00:00.000Z', '2023-01-05T10:00:00Z', '2023-01-05T10:00:00+02:00'])('accepts %s', (value) => {
    expect(IsoDateSchema.safeParse(value).success).toBe(true);
  });
  it.each(['2021-13-01', '2021-3-1', '2023-02-29', '01.02.2024', '2023-01-05 10:00:00', '2023-01-05T25:00:00Z', '2023-01-05T10:00:00', 'x2021-03-01', '2021-03-01x', '2023-01-05T10:00:00Zx', '', 'yesterday'])('rejects %s', (value) => {
    expect(IsoDateSchema.safeParse(value).success).toBe(false);
  });
});
