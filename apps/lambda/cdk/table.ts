import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { tableDefinition } from '@sagasync/storage-dynamodb';
import { Construct } from 'constructs';

const attributeTypes = { S: dynamodb.AttributeType.STRING, N: dynamodb.AttributeType.NUMBER, B: dynamodb.AttributeType.BINARY } as const;
const projectionTypes = { ALL: dynamodb.ProjectionType.ALL, KEYS_ONLY: dynamodb.ProjectionType.KEYS_ONLY } as const;

const attribute = (key: { name: string; type: keyof typeof attributeTypes }): dynamodb.Attribute => ({ name: key.name, type: attributeTypes[key.type] });

/**
 * The deployment's one table, built from the storage adapter's own `tableDefinition` (keys, indexes,
 * TTL, billing) so that what the adapter, its tests and `store copy` create cannot drift from AWS.
 */
export class LibraryTable extends Construct {
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: { tableName: string }) {
    super(scope, id);
    const d = tableDefinition;
    if (d.billingMode !== 'PAY_PER_REQUEST') throw new Error(`unsupported billing mode ${String(d.billingMode)}`);
    this.table = new dynamodb.TableV2(this, 'Table', {
      tableName: props.tableName,
      partitionKey: attribute(d.partitionKey),
      sortKey: attribute(d.sortKey),
      globalSecondaryIndexes: d.globalSecondaryIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: projectionTypes[index.projection],
      })),
      timeToLiveAttribute: d.timeToLiveAttribute,
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The table holds every user's library and credentials: deleting the stack must not delete it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
