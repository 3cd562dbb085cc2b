import { buildOpenApiDocument } from './http/openapi.js';
import { routes } from './routes/index.js';

/** The document of this package's routes, as committed in `openapi.json`. */
export function openApiDocument(): Record<string, unknown> {
  return buildOpenApiDocument(routes, { title: 'SagaSync API', version: '1' });
}
