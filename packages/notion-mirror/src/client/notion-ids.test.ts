import { describe, expect, it } from 'vitest';
import { parseNotionId } from './notion-ids.js';

const ID = '01234567-89ab-cdef-0123-456789abcdef';
const COMPACT = ID.replace(/-/g, '');

describe('parseNotionId', () => {
  it.each([
    [COMPACT],
    [ID],
    [ID.toUpperCase()],
    [`  ${COMPACT}\n`],
    [`https://www.notion.so/workspace/My-Page-${COMPACT}?pvs=4`],
    [`https://www.notion.so/workspace/My-Page-${ID}`],
    [`https://www.notion.so/${COMPACT}`],
    [`notion.so/My-Page-${COMPACT}`],
    [`https://acme.notion.site/Reading-${COMPACT}#section`],
    [`https://www.notion.so/workspace/db-ffffffffffffffffffffffffffffffff?v=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&p=${COMPACT}`.replace(/db-f+/, 'Reading')],
  ])('reads %s', (input) => {
    expect(parseNotionId(input)).toBe(ID);
  });

  it.each([[''], ['my page'], ['0123456789abcdef'], [`https://example.com/My-Page-${COMPACT}`], [`ftp://www.notion.so/${COMPACT}`], ['https://www.notion.so/workspace/My-Page']])('refuses %j', (input) => {
    expect(parseNotionId(input)).toBeNull();
  });
});
