/**
 * Runs `work` on every item with at most `limit` calls in flight: enough to hide round trips,
 * few enough not to turn one port call into a burst that throttles a partition.
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
