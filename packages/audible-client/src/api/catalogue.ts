import { SagaSyncError } from '@sagasync/core';
import type { AudibleClient } from '../client.js';
import { parseEach, parseResponse } from '../http/validate.js';
import { chunk, mapLimit } from './concurrency.js';
import { CatalogueProductSchema, ProductResponseSchema, ProductsResponseSchema, type CatalogueProduct as Product } from './schemas.js';
import type { OnFetchWarning } from './warnings.js';

/** Audible's limit for `/1.0/catalog/products?asins=` (AudibleApi `MaxAsinsPerRequest`). */
export const MAX_ASINS_PER_CATALOGUE_CALL = 50;

export interface FetchProductsOptions {
  responseGroups: string;
  /** Default 50, the API's maximum. */
  batchSize?: number;
  /** Rounds of re-requesting products a batch left out. Default 2, as Libation does. */
  reRequests?: number;
  concurrency?: number;
  /** Called for each product left out because it does not fit the product schema. */
  onWarning?: OnFetchWarning;
}

export interface FetchProductsResult {
  /** With `price` when the response groups asked for it (absent: not sold in the marketplace). */
  products: Map<string, Product>;
  /** Asked for, never returned (unknown in this marketplace, or dropped every time), or returned unreadable. */
  missing: string[];
  /** How many products were re-requested after a batch silently left them out. */
  reRequested: number;
}

/**
 * Hydrates products in batches of at most 50. Audible can answer 200 yet omit products; those are
 * asked for again in later rounds. Each product is checked on its own: one that does not fit is
 * left out with a warning (and counted missing), not the batch.
 */
export async function fetchProducts(client: AudibleClient, asins: readonly string[], options: FetchProductsOptions): Promise<FetchProductsResult> {
  const batchSize = Math.min(MAX_ASINS_PER_CATALOGUE_CALL, Math.max(1, options.batchSize ?? MAX_ASINS_PER_CATALOGUE_CALL));
  const products = new Map<string, Product>();
  let pending = [...new Set(asins)];
  const unreadable = new Set<string>();
  let reRequested = 0;
  for (let round = 0; pending.length > 0 && round <= (options.reRequests ?? 2); round++) {
    if (round > 0) reRequested += pending.length;
    const batches = chunk(pending, batchSize);
    await mapLimit(batches, options.concurrency ?? 4, async (batch) => {
      const { data } = await client.get('/1.0/catalog/products', { asins: batch.join(','), response_groups: options.responseGroups }, ProductsResponseSchema);
      const { items, rejected } = parseEach(CatalogueProductSchema, data.products, '$.products');
      for (const product of items) products.set(product.asin, product);
      for (const bad of rejected) {
        if (bad.asin !== null) unreadable.add(bad.asin);
        options.onWarning?.({ source: 'catalogue', asin: bad.asin, message: `catalogue product left out (GET /1.0/catalog/products, ${bad.reason})` });
      }
    });
    // An unreadable product would come back the same: not asked for again.
    pending = pending.filter((asin) => !products.has(asin) && !unreadable.has(asin));
  }
  const missing = [...pending, ...[...unreadable].filter((asin) => !products.has(asin))];
  return { products, missing, reRequested };
}

/** One product, or null when the marketplace does not have it. */
export async function fetchProduct(client: AudibleClient, asin: string, responseGroups: string): Promise<Product | null> {
  try {
    const what = `GET /1.0/catalog/products/${asin}`;
    const { data } = await client.get(`/1.0/catalog/products/${encodeURIComponent(asin)}`, { response_groups: responseGroups }, ProductResponseSchema);
    return parseResponse(CatalogueProductSchema, data.product, what);
  } catch (error) {
    if (SagaSyncError.isInstance(error) && error.code === 'not_found') return null;
    throw error;
  }
}
