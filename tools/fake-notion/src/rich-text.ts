import { validationError } from './errors.js';

export const MAX_TEXT_CONTENT = 2000;
export const MAX_ARRAY_ITEMS = 100;

export interface RichTextItem {
  type: 'text';
  text: { content: string; link: { url: string } | null };
  annotations: { bold: boolean; italic: boolean; strikethrough: boolean; underline: boolean; code: boolean; color: string };
  plain_text: string;
  href: string | null;
}

const DEFAULT_ANNOTATIONS = { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default' };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates a request rich-text array the way Notion does (2000 chars per item, 100 items) and returns the response shape. */
export function parseRichText(value: unknown, path: string): RichTextItem[] {
  if (!Array.isArray(value)) throw validationError(`${path} should be an array, instead was \`${JSON.stringify(value)}\`.`);
  if (value.length > MAX_ARRAY_ITEMS) throw validationError(`${path}.length should be ≤ \`${MAX_ARRAY_ITEMS}\`, instead was \`${value.length}\`.`);
  return value.map((item, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(item) || !isRecord(item.text)) throw validationError(`${at}.text should be defined, instead was \`undefined\`.`);
    const content = item.text.content;
    if (typeof content !== 'string') throw validationError(`${at}.text.content should be a string, instead was \`${JSON.stringify(content)}\`.`);
    if (content.length > MAX_TEXT_CONTENT) throw validationError(`${at}.text.content.length should be ≤ \`${MAX_TEXT_CONTENT}\`, instead was \`${content.length}\`.`);
    let link: { url: string } | null = null;
    if (item.text.link !== undefined && item.text.link !== null) {
      const url = isRecord(item.text.link) ? item.text.link.url : undefined;
      if (typeof url !== 'string') throw validationError(`${at}.text.link.url should be a string.`);
      if (url.length > MAX_TEXT_CONTENT) throw validationError(`${at}.text.link.url.length should be ≤ \`${MAX_TEXT_CONTENT}\`, instead was \`${url.length}\`.`);
      link = { url };
    }
    const annotations = isRecord(item.annotations) ? { ...DEFAULT_ANNOTATIONS, ...item.annotations } : { ...DEFAULT_ANNOTATIONS };
    return { type: 'text', text: { content, link }, annotations, plain_text: content, href: link?.url ?? null };
  });
}

export const plainText = (items: readonly RichTextItem[]): string => items.map((i) => i.plain_text).join('');

export const textItems = (content: string): RichTextItem[] =>
  content === '' ? [] : [{ type: 'text', text: { content, link: null }, annotations: { ...DEFAULT_ANNOTATIONS }, plain_text: content, href: null }];
