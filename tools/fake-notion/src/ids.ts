import { randomUUID } from 'node:crypto';

const HEX32 = /^[0-9a-f]{32}$/;

/** Notion accepts ids with or without dashes and always answers with dashed UUIDs. */
export function normaliseId(raw: string): string | null {
  const compact = raw.toLowerCase().replace(/-/g, '');
  if (!HEX32.test(compact)) return null;
  return `${compact.slice(0, 8)}-${compact.slice(8, 12)}-${compact.slice(12, 16)}-${compact.slice(16, 20)}-${compact.slice(20)}`;
}

export function newUuid(): string {
  return randomUUID();
}

const PROPERTY_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789%<>=;';

/** Short opaque property ids such as Notion's `%3CLrR`; `title` is reserved for the title property. */
export function newPropertyId(taken: ReadonlySet<string>, random: () => number): string {
  for (;;) {
    let id = '';
    for (let i = 0; i < 4; i++) id += PROPERTY_ID_ALPHABET[Math.floor(random() * PROPERTY_ID_ALPHABET.length)];
    const encoded = encodeURIComponent(id);
    if (encoded !== 'title' && !taken.has(encoded)) return encoded;
  }
}
