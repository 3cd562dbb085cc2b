import * as z from 'zod';

/**
 * Where a title sits in a series. `raw` is the sequence text exactly as received; `position` is
 * what SagaSync understood of it: a number (2.5 is a novella between 2 and 3), a range (an
 * omnibus `1-3`), or nothing (`""`, junk).
 */
export const SeriesPositionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('number'), value: z.number().nonnegative() }),
  z.object({ kind: z.literal('range'), start: z.number().nonnegative(), end: z.number().nonnegative() }),
  z.object({ kind: z.literal('none') }),
]);
export type SeriesPosition = z.infer<typeof SeriesPositionSchema>;
