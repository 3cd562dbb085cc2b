import type { FakeLibrary, FakeOwnership, FakeProduct } from './generate-library.js';

/** Response groups Audible accepts on library and catalogue calls (an unknown one is a 400). */
export const KNOWN_RESPONSE_GROUPS = new Set([
  'contributors', 'customer_rights', 'media', 'price', 'product_attrs', 'product_desc', 'product_details',
  'product_extended_attrs', 'product_plan_details', 'product_plans', 'rating', 'sample', 'sku', 'series',
  'reviews', 'ws4v', 'origin', 'relationships', 'review_attrs', 'categories', 'badge_types', 'category_ladders',
  'claim_code_url', 'in_wishlist', 'is_archived', 'is_downloaded', 'is_finished', 'is_playable', 'is_removable',
  'is_returnable', 'is_visible', 'listening_status', 'order_details', 'origin_asin', 'pdf_url', 'percent_complete',
  'periodicals', 'provided_review', 'rights', 'goodreads_ratings',
]);

type Json = Record<string, unknown>;

function contentDeliveryType(product: FakeProduct): string {
  if (product.kind === 'series') return 'BookSeries';
  if (product.kind === 'podcast') return 'PodcastParent';
  return 'SinglePartBook';
}

/**
 * The `price` group as AudibleApi's `Price` DTO declares it (`LibraryDtoV10.generated.cs`): list
 * and lowest price objects (`base`, `currency_code`, `merchant_id`, `type` of `list`, `member`,
 * `sale`, `ws4v_upsell`), the credit price and the eligibility flags. The fake is a US account.
 */
function renderPrice(listPrice: number): Json {
  const money = (base: number, type: string) => ({ base, currency_code: 'USD', merchant_id: 'A2ZO8JX97D5MN9', type });
  const member = Math.round(listPrice * 70) / 100;
  return {
    credit_price: 1.0,
    is_buy_for_free_eligible: false,
    is_credit_price_eligible: true,
    is_free_eligible: false,
    is_ws4v_upsell_eligible: false,
    list_price: money(listPrice, 'list'),
    lowest_price: money(member, 'member'),
  };
}

/**
 * A product as the catalogue returns it, with only the keys its response groups bring, as the
 * real API does (without `series`, there is no `series` key at all).
 */
export function renderProduct(library: FakeLibrary, product: FakeProduct, groups: ReadonlySet<string>): Json {
  const out: Json = { asin: product.asin };
  if (groups.has('product_attrs')) {
    Object.assign(out, {
      title: product.title,
      subtitle: product.subtitle,
      release_date: product.releaseDate,
      issue_date: product.releaseDate,
      publication_datetime: `${product.releaseDate}T00:00:00Z`,
      language: product.language,
      content_type: product.kind === 'podcast' ? 'Podcast' : 'Product',
      content_delivery_type: contentDeliveryType(product),
      format_type: 'unabridged',
      publisher_name: product.publisher,
      runtime_length_min: product.kind === 'series' ? null : product.runtimeMinutes,
      merchandising_summary: `<p>${product.title}</p>`,
      has_children: product.kind !== 'book',
    });
  }
  if (groups.has('contributors')) {
    out.authors = product.authors.map((a) => (a.asin ? { asin: a.asin, name: a.name } : { name: a.name }));
    // Audible's contributor names are nullable (AudibleApi's model): some products carry a nameless one.
    const narrators: { name: string | null }[] = product.narrators.map((n) => ({ name: n.name }));
    if (narrators.length > 0 && hasNamelessNarrator(product.asin)) narrators.push({ name: null });
    out.narrators = narrators.length ? narrators : null;
  }
  if (groups.has('product_desc')) {
    out.extended_product_description = product.description;
    out.publisher_summary = product.description;
  }
  if (groups.has('media')) out.product_images = { '500': `https://m.media-amazon.com/images/I/${product.asin}._SL500_.jpg` };
  if (groups.has('category_ladders')) out.category_ladders = product.ladders.map((ladder) => ({ root: 'Genres', ladder }));
  if (groups.has('rating')) {
    out.rating = {
      num_reviews: Math.floor(product.rating.count / 10),
      overall_distribution: {
        average_rating: product.rating.average,
        display_average_rating: product.rating.average.toFixed(1),
        display_stars: product.rating.average,
        num_ratings: product.rating.count,
      },
    };
  }
  if (groups.has('product_details')) out.isbn = null;
  // Not sold in this marketplace: `price` is null (what Libation filters series volumes on).
  if (groups.has('price')) out.price = product.listPrice !== null ? renderPrice(product.listPrice) : null;
  if (groups.has('series') && product.kind !== 'series') {
    out.series = product.memberships.map((m) => {
      const series = library.products.get(m.seriesAsin)!;
      return { asin: m.seriesAsin, sequence: m.sequence, title: series.title, url: `/pd/${m.seriesAsin}` };
    });
  }
  if (groups.has('relationships')) {
    out.relationships =
      product.kind === 'series'
        ? product.children.map((c) => ({
            asin: c.asin,
            relationship_to_product: 'child',
            relationship_type: 'series',
            sequence: c.sequence,
            sort: c.sort,
            sku: `BK_${c.asin}`,
            sku_lite: `BK_${c.asin}`,
          }))
        : product.memberships.map((m) => ({
            asin: m.seriesAsin,
            relationship_to_product: 'parent',
            relationship_type: 'series',
            sequence: m.sequence,
            sort: m.sort,
            sku: null,
            sku_lite: null,
          }));
  }
  return out;
}

/** A library item: the product plus what the account knows about it. */
export function renderLibraryItem(library: FakeLibrary, owned: FakeOwnership, groups: ReadonlySet<string>): Json {
  const product = library.products.get(owned.asin)!;
  const out: Json = {
    ...renderProduct(library, product, groups),
    purchase_date: owned.purchaseDate,
    status: 'Active',
    is_ayce: false,
    library_status: { date_added: owned.purchaseDate, is_preordered: false, is_removable: true, is_visible: true },
    sku_lite: `BK_${owned.asin}`,
  };
  // Without these groups the keys come back null, which is how consumers lose finished flags.
  out.is_finished = groups.has('is_finished') ? owned.isFinished : null;
  out.percent_complete = groups.has('percent_complete') ? owned.percentComplete : null;
  if (groups.has('listening_status')) {
    const remaining = Math.max(0, Math.round(product.runtimeMinutes * 60 * (1 - owned.percentComplete / 100)));
    out.listening_status = {
      is_finished: owned.isFinished,
      percent_complete: owned.percentComplete,
      time_remaining_seconds: remaining,
      finished_at_timestamp: owned.finishedAt,
    };
  }
  return out;
}

/** About one product in eleven, chosen by its ASIN so the generated library itself is unchanged. */
function hasNamelessNarrator(asin: string): boolean {
  let sum = 0;
  for (let i = 0; i < asin.length; i++) sum += asin.charCodeAt(i);
  return sum % 11 === 0;
}
