/** An attribute value in DynamoDB's wire format (the JSON the SDK sends). */
type Wire = { S?: string; N?: string; B?: string; BOOL?: boolean; NULL?: boolean; M?: Record<string, Wire>; L?: Wire[]; SS?: string[]; NS?: string[] };

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * An item's size as DynamoDB bills it (the developer guide's "item sizes"): each attribute's name
 * in UTF-8 bytes plus its value; a string its UTF-8 bytes, a number about one byte per two digits
 * plus one, a boolean or null one byte, a map or list 3 bytes plus its elements and one per element.
 */
export function itemSize(item: Record<string, Wire>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += utf8(name) + valueSize(value);
  return size;
}

function valueSize(value: Wire): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|e.*$/gi, '').replace(/^0+/, '').length / 2) + 1;
  if (value.B !== undefined) return Math.floor((value.B.length * 3) / 4);
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.M) return 3 + Object.entries(value.M).reduce((sum, [name, inner]) => sum + utf8(name) + valueSize(inner) + 1, 0);
  if (value.L) return 3 + value.L.reduce((sum, inner) => sum + valueSize(inner) + 1, 0);
  if (value.SS) return value.SS.reduce((sum, s) => sum + utf8(s), 0);
  if (value.NS) return value.NS.reduce((sum, n) => sum + valueSize({ N: n }), 0);
  return 0;
}

interface TransactRequest {
  TransactItems?: {
    Put?: { Item: Record<string, Wire> };
    Update?: unknown;
    Delete?: unknown;
    ConditionCheck?: unknown;
  }[];
}

/**
 * The write units a TransactWriteItems request costs on the service: two per started KB of each
 * item written (a transaction's price), plus one per KB for each global secondary index the item
 * is written to. Deletes, updates and condition checks of items whose size the request does not
 * carry are counted as one KB (SagaSync's items are all under one).
 */
export function transactionWriteUnits(request: TransactRequest, indexKeys: readonly string[]): { units: number; puts: number; bytes: number } {
  let units = 0;
  let puts = 0;
  let bytes = 0;
  for (const action of request.TransactItems ?? []) {
    if (action.Put) {
      const size = itemSize(action.Put.Item);
      const kb = Math.max(1, Math.ceil(size / 1024));
      units += 2 * kb + indexKeys.filter((key) => action.Put!.Item[key] !== undefined).length * kb;
      puts++;
      bytes += size;
    } else {
      units += 2;
    }
  }
  return { units, puts, bytes };
}

interface WriteRequests {
  Item?: Record<string, Wire>;
  RequestItems?: Record<string, { PutRequest?: { Item: Record<string, Wire> }; DeleteRequest?: unknown }[]>;
}

/**
 * The write units any write request costs at the documented on-demand rates: a transaction as
 * above; PutItem and each put of a BatchWriteItem one per started KB, plus one per KB for each
 * index the item is written to; a delete or an update one (SagaSync's are of items under one KB).
 * Null for a request that writes nothing.
 */
export function requestWriteUnits(target: string, body: string, indexKeys: readonly string[]): number | null {
  const operation = target.replace(/^DynamoDB_\d+\./, '');
  const put = (item: Record<string, Wire>) => {
    const kb = Math.max(1, Math.ceil(itemSize(item) / 1024));
    return kb + indexKeys.filter((key) => item[key] !== undefined).length * kb;
  };
  const request = JSON.parse(body) as WriteRequests & TransactRequest;
  switch (operation) {
    case 'TransactWriteItems':
      return transactionWriteUnits(request, indexKeys).units;
    case 'PutItem':
      return request.Item ? put(request.Item) : 1;
    case 'BatchWriteItem':
      return Object.values(request.RequestItems ?? {})
        .flat()
        .reduce((sum, entry) => sum + (entry.PutRequest ? put(entry.PutRequest.Item) : 1), 0);
    case 'UpdateItem':
    case 'DeleteItem':
      return 1;
    default:
      return null;
  }
}
