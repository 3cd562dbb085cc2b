import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createRequestHandler } from '@sagasync/host';
import type { LambdaRuntime } from '../runtime/context.js';
import { lambdaServices } from '../runtime/services.js';
import { createStepFunctionsJobRunner, startImportExecution, type StartImport } from '../jobs/step-functions-jobs.js';
import { apiGatewayResultOf, hostRequestOf } from './api-gateway.js';

/** Lambda takes a request of at most 6 MB; a library over it goes in pages (`sagasync import --api-url` does). */
export const LAMBDA_BODY_LIMIT_BYTES = 6 * 1024 * 1024;

/**
 * The HTTP API's handler: API Gateway's event translated to `@sagasync/host`'s request handler,
 * the same the Express server runs, so tokens, signed webhooks, idempotency and errors behave the
 * same. Authentication happens here, per request (no API Gateway authorizer): a token is one
 * indexed read, and the webhook routes need the token's owner for their signature anyway.
 */
export function createHttpHandler(runtime: LambdaRuntime, options: { startImport?: StartImport | null } = {}) {
  const arn = runtime.env.SAGASYNC_IMPORT_STATE_MACHINE_ARN;
  const startImport = options.startImport !== undefined ? options.startImport : arn ? startImportExecution(arn) : null;
  const handle = createRequestHandler({
    storage: runtime.storage,
    directory: runtime.directory,
    sealer: runtime.sealer,
    jobs: createStepFunctionsJobRunner({ startImport }),
    services: lambdaServices(runtime),
    clock: runtime.clock,
    bodyLimitBytes: LAMBDA_BODY_LIMIT_BYTES,
  });
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const request = hostRequestOf(event);
    const answer = await handle(request, runtime.log);
    runtime.log.info('request', { method: request.method, path: request.path.replace(/^(\/webhook\/notion\/)[^/]+/, '$1[redacted]'), status: answer.status });
    return apiGatewayResultOf(answer);
  };
}
