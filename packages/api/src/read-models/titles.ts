import { SagaSyncError, type Title } from '@sagasync/core';
import * as z from 'zod';
import type { ApiContext } from '../http/route.js';
import { closeness, normaliseTitleText } from './names.js';

type Reader = Pick<ApiContext, 'storage' | 'ownerId'>;

/** A title named in an answer: its ASIN and its name. */
export const TitleRefSchema = z.object({ asin: z.string(), title: z.string() });
export type TitleRef = z.infer<typeof TitleRefSchema>;

/** Titles read per page while looking a name up: the library is walked, never held whole. */
const PAGE = 500;
/** Candidates an ambiguous name lists, and suggestions an unknown one gives. */
const MAX_CANDIDATES = 10;
const MAX_SUGGESTIONS = 5;
/** Matches kept per tier: more than this is ambiguous whatever they are. */
const KEEP = 50;

/** An argument that can only be an ASIN: 10 letters or digits, a digit among them (B0..., ISBN-10). */
const looksLikeAsin = (text: string) => /^[A-Z0-9]{10}$/.test(text) && /\d/.test(text);

/**
 * The title a person means by `query`: an ASIN (any case), else its title, case- and
 * accent-insensitive: the exact title first, then a title that starts with the query, then one
 * with a word starting with it, then one containing it. A step that finds one title decides; one
 * that finds several (not told apart by ownership) is `invalid_input` listing them (`candidates`);
 * none at all is `not_found` with the titles it might have meant (`suggestions`).
 *
 * An ASIN is one keyed read; only a name walks the titles, page by page.
 */
export async function resolveTitle(ctx: Reader, query: string): Promise<Title> {
  const { storage, ownerId } = ctx;
  const trimmed = query.trim();
  if (trimmed === '') throw new SagaSyncError('invalid_input', 'a title or an ASIN is needed', { details: { location: 'title' } });
  const upper = trimmed.toUpperCase();
  if (/^[A-Z0-9]{10}$/.test(upper)) {
    const byAsin = await storage.getTitle(ownerId, upper);
    if (byAsin) return byAsin;
    if (looksLikeAsin(upper)) {
      throw new SagaSyncError('not_found', `no title ${upper} in the library`, { details: { location: 'asin', entity: 'title', key: upper, suggestions: [] } });
    }
  }
  return resolveByName(ctx, trimmed);
}

/**
 * The tiers a name is tried in; the first that finds anything decides. The subtitle counts for an
 * exact match (`Starwake: The First Trilogy Books 1-3`) and otherwise only after the titles.
 */
const TIERS = ['exact', 'prefix', 'word', 'part', 'subtitle'] as const;
type Tier = (typeof TIERS)[number];

function tierOf(title: Title, query: string): Tier | null {
  const name = normaliseTitleText(title.title);
  const full = title.subtitle ? normaliseTitleText(`${title.title} ${title.subtitle}`) : name;
  if (name === query || full === query) return 'exact';
  if (name.startsWith(query)) return 'prefix';
  if (` ${name}`.includes(` ${query}`)) return 'word';
  if (name.includes(query)) return 'part';
  if (full !== name && full.includes(query)) return 'subtitle';
  return null;
}

async function resolveByName(ctx: Reader, query: string): Promise<Title> {
  const wanted = normaliseTitleText(query);
  // Titles each tier found (the first KEEP of them) and how many.
  const found: Record<Tier, Title[]> = { exact: [], prefix: [], word: [], part: [], subtitle: [] };
  const counts: Record<Tier, number> = { exact: 0, prefix: 0, word: 0, part: 0, subtitle: 0 };
  let matched = false;
  const near: { ref: TitleRef; distance: number }[] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.storage.listTitles(ctx.ownerId, { limit: PAGE, ...(cursor ? { cursor } : {}) });
    for (const title of page.items) {
      const tier = tierOf(title, wanted);
      if (tier) {
        if (counts[tier]++ < KEEP) found[tier].push(title);
        matched = true;
      } else if (!matched) {
        // Suggestions matter only when nothing matches.
        const distance = closeness(wanted, normaliseTitleText(title.title));
        if (distance !== null) near.push({ ref: { asin: title.asin, title: title.title }, distance });
      }
    }
    // Only the closest few are ever shown: a short query is near many titles.
    if (near.length > 500) near.splice(0, near.length, ...nearest(near).slice(0, 50));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);

  for (const tier of TIERS) {
    const titles = found[tier];
    if (counts[tier] === 0) continue;
    if (counts[tier] === 1) return titles[0]!;
    // Several: an owned title wins over volumes known only from series metadata.
    const owned = titles.filter((t) => t.owned);
    if (owned.length === 1 && counts[tier] <= KEEP) return owned[0]!;
    throw ambiguous(query, titles, counts[tier]);
  }
  const suggestions = dedupe(nearest(near).map((n) => n.ref)).slice(0, MAX_SUGGESTIONS);
  throw new SagaSyncError('not_found', `no title matches "${query}"${suggestions.length ? `; did you mean ${suggestions.map((s) => `“${s.title}” (${s.asin})`).join(', ')}?` : ''}`, {
    details: { location: 'title', entity: 'title', key: query, suggestions },
  });
}

function ambiguous(query: string, titles: Title[], count: number): SagaSyncError {
  const sorted = [...titles].sort((a, b) => a.title.localeCompare(b.title) || a.asin.localeCompare(b.asin));
  const candidates: TitleRef[] = sorted.map((t) => ({ asin: t.asin, title: t.title }));
  const shown = candidates.slice(0, MAX_CANDIDATES).map((c) => `“${c.title}” (${c.asin})`);
  const more = count > MAX_CANDIDATES ? ` and ${count - MAX_CANDIDATES} more` : '';
  return new SagaSyncError('invalid_input', `"${query}" matches ${count} titles: ${shown.join(', ')}${more}`, {
    details: { location: 'title', reason: 'ambiguous_title', candidates, count, hint: 'give more of the title, or its ASIN' },
  });
}

const nearest = <T extends { ref: TitleRef; distance: number }>(list: T[]) =>
  [...list].sort((a, b) => a.distance - b.distance || a.ref.title.localeCompare(b.ref.title));

const dedupe = (refs: TitleRef[]) => {
  const seen = new Set<string>();
  return refs.filter((r) => (seen.has(r.asin) ? false : (seen.add(r.asin), true)));
};
