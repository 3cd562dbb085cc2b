// One Lambda cold start, as a fresh process: imports a handler bundle (its initialisation, with
// any top-level await, runs here), answers one request, prints one JSON line and exits.
//
//   node runner.mjs <bundle/index.mjs> <http|task>
//
// Prints {"initMs", "answerMs", "outcome", "statusCode"?, "error"?}. Exit 0 when the module
// initialised and the handler answered (a task handler refusing the bench's input counts as an
// answer: only initialisation is measured for tasks); exit 2 when initialisation failed.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [file, kind = 'task'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: runner.mjs <bundle> <http|task>\n');
  process.exit(64);
}

/** An API Gateway HTTP API (payload 2.0) event for `GET /health`. */
function httpEvent() {
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/health',
    rawQueryString: '',
    headers: { accept: 'application/json', host: 'abc123.execute-api.us-east-1.amazonaws.com', 'user-agent': 'sagasync-bench', 'x-forwarded-proto': 'https' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method: 'GET', path: '/health', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'sagasync-bench' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
}

const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'sagasync-bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:sagasync-bench',
  memoryLimitInMB: '1024',
  awsRequestId: randomUUID(),
  logGroupName: '/aws/lambda/sagasync-bench',
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => 30_000,
  done() {},
  fail() {},
  succeed() {},
};

const describe = (error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
const report = (fields, code) => {
  process.stdout.write(`${JSON.stringify(fields)}\n`);
  process.exit(code);
};

const started = performance.now();
let mod;
try {
  mod = await import(pathToFileURL(file).href);
} catch (error) {
  report({ initMs: performance.now() - started, outcome: 'init-failed', error: describe(error) }, 2);
}
const initialised = performance.now();
if (typeof mod.handler !== 'function') report({ initMs: initialised - started, outcome: 'init-failed', error: 'the bundle exports no handler' }, 2);
try {
  // A task gets an input every task refuses at validation (no owner, a cursor that is not text):
  // what is timed is initialisation, not a request to a table nobody serves here.
  const answer = await mod.handler(kind === 'http' ? httpEvent() : { cursor: 0 }, context);
  const statusCode = answer && typeof answer === 'object' && 'statusCode' in answer ? answer.statusCode : undefined;
  report({ initMs: initialised - started, answerMs: performance.now() - initialised, outcome: 'answered', statusCode }, 0);
} catch (error) {
  report({ initMs: initialised - started, answerMs: performance.now() - initialised, outcome: 'refused', error: describe(error) }, 0);
}
