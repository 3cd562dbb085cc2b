import type { AudibleProduct as Product } from '@sagasync/audible-parser';
import { SagaSyncError } from '@sagasync/core';
import type { AudibleClient } from '../client.js';
import { chunk, mapLimit } from './concurrency.js';
import { ProductResponseSchema, ProductsResponseSchema } from './schemas.js';

/** Audible's limit for `/1.0/catalog/products?asins=` (AudibleApi `MaxAsinsPerRequest`). */
export const MAX_ASINS_PER_CATALOGUE_CALL = 50;

export interface FetchProductsOptions {
  responseGroups: string;
  /** Default 50, the API's maximum. */
  batchSize?: number;
  /** Rounds of re-requesting products a batch left out. Default 2, as Libation does. */
  reRequests?: number;
  concurrency?: number;
}

export interface FetchProductsResult {
  products: Map<string, Product>;
  /** Asked for, never returned (unknown in this marketplace, or dropped every time). */
  missing: string[];
  /** How many products were re-requested after a batch silently left them out. */
  reRequested: number;
}

/**
 * Hydrates products in batches of at most 50. Audible can answer 200 yet omit products; those are
 * asked for again in later rounds.
 */
export async function fetchProducts(client: AudibleClient, asins: readonly string[], options: FetchProductsOptions): Promise<FetchProductsResult> {
  const batchSize = Math.min(MAX_ASINS_PER_CATALOGUE_CALL, Math.max(1, options.batchSize ?? MAX_ASINS_PER_CATALOGUE_CALL));
  const products = new Map<string, Product>();
  let pending = [...new Set(asins)];
  let reRequested = 0;
  for (let round = 0; pending.length > 0 && round <= (options.reRequests ?? 2); round++) {
    if (round > 0) reRequested += pending.length;
    const batches = chunk(pending, batchSize);
    await mapLimit(batches, options.concurrency ?? 4, async (batch) => {
      const { data } = await client.get('/1.0/catalog/products', { asins: batch.join(','), response_groups: options.responseGroups }, ProductsResponseSchema);
      for (const product of data.products) products.set(product.asin, product);
    });
    pending = pending.filter((asin) => !products.has(asin));
  }
  return { products, missing: pending, reRequested };
}

/** One product, or null when the marketplace does not have it. */
export async function fetchProduct(client: AudibleClient, asin: string, responseGroups: string): Promise<Product | null> {
  try {
    return (await client.get(`/1.0/catalog/products/${encodeURIComponent(asin)}`, { response_groups: responseGroups }, ProductResponseSchema)).data.product;
  } catch (error) {
    if (SagaSyncError.isInstance(error) && error.code === 'not_found') return null;
    throw error;
  }
}
