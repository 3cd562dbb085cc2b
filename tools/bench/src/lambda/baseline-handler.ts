// The baseline of the `lambda` benchmark: a do-nothing handler that loads what every SagaSync
// function loads (the DynamoDB and Secrets Manager clients, the document client, zod), creates the
// clients at initialisation and answers. Bundled exactly as the handlers are.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';

const Env = z.object({ SAGASYNC_TABLE: z.string().min(3), AWS_REGION: z.string().min(1) });
const env = Env.parse(process.env);
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
const secretsClient = new SecretsManagerClient({});

export async function handler(event: unknown): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> {
  const ok = z.object({ rawPath: z.string() }).safeParse(event).success;
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ok, table: env.SAGASYNC_TABLE, clients: [typeof documentClient.send, typeof secretsClient.send] }),
  };
}
