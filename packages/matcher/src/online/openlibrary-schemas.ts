import * as z from 'zod';

/**
 * The parts of Open Library's answers the online step reads (openlibrary.org/dev/docs/api/search
 * and /dev/docs/api/books). Loose: unknown fields pass, a missing optional list is empty; an answer
 * that does not fit is "no answer", never a crash.
 */

const strings = z.array(z.string()).optional().catch(undefined);

/** `GET /search.json?title=&author=&fields=&limit=`: works, one doc each. */
export const SearchAnswerSchema = z.object({
  numFound: z.number().int().nonnegative(),
  docs: z.array(
    z.object({
      key: z.string().regex(/^\/works\/OL\d+W$/),
      title: z.string(),
      subtitle: z.string().optional().catch(undefined),
      alternative_title: strings,
      author_name: strings,
      author_alternative_name: strings,
    }),
  ),
});
export type SearchAnswer = z.infer<typeof SearchAnswerSchema>;

/** `GET /works/{id}/editions.json?limit=&offset=`: one page of a work's editions. */
export const EditionsAnswerSchema = z.object({
  size: z.number().int().nonnegative().optional(),
  entries: z.array(
    z.object({
      key: z.string(),
      title: z.string().optional(),
      isbn_10: strings,
      isbn_13: strings,
    }),
  ),
});
export type EditionsAnswer = z.infer<typeof EditionsAnswerSchema>;

/** `GET /isbn/{isbn}.json` (Open Library answers with the edition, after a redirect to /books/{id}.json). */
export const EditionAnswerSchema = z.object({
  key: z.string(),
  title: z.string().optional(),
  works: z.array(z.object({ key: z.string().regex(/^\/works\/OL\d+W$/) })).optional().catch(undefined),
});
export type EditionAnswer = z.infer<typeof EditionAnswerSchema>;

/** What is cached of a search: per work, its key, every title Open Library gives it and its authors' names. */
export const CachedSearchSchema = z.object({
  works: z.array(z.object({ key: z.string(), titles: z.array(z.string()), authors: z.array(z.string()) })),
});
export type CachedSearch = z.infer<typeof CachedSearchSchema>;

export const CachedWorksSchema = z.object({ works: z.array(z.string()) });
export const CachedIsbnsSchema = z.object({ isbns: z.array(z.string()) });
