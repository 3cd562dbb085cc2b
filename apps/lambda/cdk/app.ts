import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { DEFAULT_BUNDLE_DIR, SagaSyncStack } from './sagasync-stack.js';
import { codeFromBundles } from './functions.js';

/**
 * `npm run synth` / `npm run deploy` (cdk.json runs this). Settings come from `-c key=value` or the
 * environment, never from the repo: stage (`-c stage=prod` or SAGASYNC_STAGE, default dev),
 * secretName, notionSecretName, alarmEmail, bundleDir. Account and region are the CLI's
 * (CDK_DEFAULT_ACCOUNT/CDK_DEFAULT_REGION from your AWS profile); without an account the stack is
 * environment-agnostic, so synth needs no credentials.
 */
const app = new App({ outdir: process.env.CDK_OUTDIR ?? join(import.meta.dirname, '..', 'cdk.out'), analyticsReporting: false });
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value !== '' ? value : undefined;
};

const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
const secretName = context('secretName');
const notionSecretName = context('notionSecretName');
const alarmEmail = context('alarmEmail');

new SagaSyncStack(app, {
  stage: context('stage') ?? process.env.SAGASYNC_STAGE ?? 'dev',
  // Only both together: the CLI fills in a default region even when no account is configured.
  ...(account && region ? { env: { account, region } } : {}),
  ...(secretName ? { secretName } : {}),
  ...(notionSecretName ? { notionSecretName } : {}),
  ...(alarmEmail ? { alarmEmail } : {}),
  codeFor: codeFromBundles(context('bundleDir') ?? DEFAULT_BUNDLE_DIR),
});
app.synth();
