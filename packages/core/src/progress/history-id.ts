const ENCODING = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32, as ULID

/** FNV-1a over UTF-16 code units with a seed: small, fast and stable across runtimes. */
function fnv1a(text: string, seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * A history entry id derived from what the entry says, shaped like a ULID (26 characters, the
 * first 10 the time of `at`) so it sorts by time beside `newId` ids. Deterministic on purpose: a
 * retried or re-planned change produces the same id, and the store treats an existing id as a
 * no-op, so history is never written twice.
 */
export function historyIdFor(asin: string, at: string, event: string, toPercent: number): string {
  const ms = Date.parse(at);
  let t = Number.isFinite(ms) && ms >= 0 ? ms : 0;
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = ENCODING[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  const key = `${asin}|${at}|${event}|${toPercent}`;
  // 80 bits of hash: four 20-bit slices of three seeded 32-bit hashes.
  const parts = [fnv1a(key, 0), fnv1a(key, 0x9e3779b9), fnv1a(key, 0x85ebca6b)];
  let random = '';
  for (let i = 0; i < 16; i++) {
    const word = parts[i % 3]!;
    random += ENCODING[(word >>> ((Math.floor(i / 3) * 5) % 30)) & 31]!;
  }
  return time + random;
}
