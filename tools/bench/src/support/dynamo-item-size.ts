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
