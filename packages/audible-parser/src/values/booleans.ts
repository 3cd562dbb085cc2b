import { Invalid, type Parsed } from './parsed.js';

const BAD_BOOLEAN = new Invalid('expected True/False (or yes/no, 1/0)');

/**
 * `True`/`False` (Python and .NET), `true`/`false`, `yes`/`no`, `y`/`n`, `1`/`0`, and JSON booleans.
 * Empty is `null`, anything else is invalid.
 */
export function parseBoolean(value: unknown): Parsed<boolean> {
  if (typeof value === 'boolean') return value;
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : BAD_BOOLEAN;
  if (typeof value !== 'string') return BAD_BOOLEAN;
  // Fast path for the spellings the export tools actually write.
  if (value === 'True') return true;
  if (value === 'False') return false;
  if (value === '') return null;
  switch (value.trim().toLowerCase()) {
    case 'true':
    case 'yes':
    case 'y':
    case '1':
      return true;
    case 'false':
    case 'no':
    case 'n':
    case '0':
      return false;
    case '':
      return null;
    default:
      return BAD_BOOLEAN;
  }
}
