import { AUDIBLE_IMAGE_SIZES, type AudibleProduct } from './schema.js';

const PODCAST_DELIVERY = new Set(['PodcastParent', 'PodcastEpisode', 'PodcastSeason']);
const PODCAST_CONTENT = new Set(['Podcast', 'Episode', 'Show']);

/** Contributors' names, trimmed; nameless contributors (Audible sends `name: null`) left out. */
export function contributorNames(contributors: AudibleProduct['authors']): string[] {
  const out: string[] = [];
  for (const c of contributors ?? []) {
    const name = c.name?.trim();
    if (name) out.push(name);
  }
  return out;
}

const LARGEST_FIRST = [...AUDIBLE_IMAGE_SIZES].reverse();

/** The 500 px cover (what audible-cli exports), else the largest size the product has. */
export function coverUrlOf(product: Pick<AudibleProduct, 'product_images'>): string | null {
  const images = product.product_images;
  if (!images) return null;
  if (images['500']) return images['500'];
  for (const size of LARGEST_FIRST) if (images[size]) return images[size];
  return null;
}

/**
 * Whether a product is a podcast (parent, season or episode) rather than a book; undefined when it
 * carries neither `content_delivery_type` nor `content_type` (the groups were not asked for).
 */
export function podcastFlag(product: Pick<AudibleProduct, 'content_type' | 'content_delivery_type'>): boolean | undefined {
  if (product.content_delivery_type == null && product.content_type == null) return undefined;
  return PODCAST_DELIVERY.has(product.content_delivery_type ?? '') || PODCAST_CONTENT.has(product.content_type ?? '');
}
