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

/** An amount of the `price` group (`{ base: 28.0, currency_code: "USD" }`): a base that is a number (0: free). */
function hasAmount(money: unknown): boolean {
  if (typeof money !== 'object' || money === null) return false;
  const base = (money as { base?: unknown }).base;
  return (typeof base === 'number' && Number.isFinite(base) && base >= 0) || (typeof base === 'string' && base.trim() !== '' && Number.isFinite(Number(base)));
}

/**
 * Whether Audible sells a product in the marketplace it was asked in. Asked with the `price`
 * response group, Audible leaves `price` out (or null) for a product it cannot sell there (Libation
 * drops such series volumes as "not available"). A product carrying a price with an amount is for
 * sale (true); a `price` key that is null or without a list or lowest price is not (false); a
 * product without the key says nothing unless the caller knows prices were asked for
 * (`pricesRequested`): then it is not for sale, else unknown (undefined). The data alone cannot
 * tell "not asked" from "not sold", hence the flag.
 */
export function forSaleOf(product: Pick<AudibleProduct, 'price'>, pricesRequested = false): boolean | undefined {
  const price = product.price;
  if (price === undefined) return pricesRequested ? false : undefined;
  if (price === null) return false;
  return hasAmount(price.list_price) || hasAmount(price.lowest_price);
}
