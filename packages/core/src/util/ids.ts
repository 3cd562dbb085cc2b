const ENCODING = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32, as ULID

let lastTime = -1;
let lastRandom: number[] = [];

/**
 * A ULID: 26 characters, sortable by creation time, monotonic within one process even when
 * called many times in the same millisecond. Used where order must survive a store round trip.
 */
export function newId(now: number = Date.now()): string {
  if (now <= lastTime) {
    // Same (or earlier) millisecond: increment the random part so ids stay strictly increasing.
    now = lastTime;
    for (let i = lastRandom.length - 1; i >= 0; i--) {
      if (lastRandom[i]! < 31) {
        lastRandom[i]! += 1;
        break;
      }
      lastRandom[i] = 0;
    }
  } else {
    lastTime = now;
    const bytes = new Uint8Array(16);
    globalThis.crypto.getRandomValues(bytes);
    lastRandom = Array.from(bytes, (b) => b & 31);
  }
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ENCODING[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  return time + lastRandom.map((n) => ENCODING[n]!).join('');
}
