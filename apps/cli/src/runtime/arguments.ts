import { AsinSchema } from '@sagasync/core';
import { CliError, EXIT } from './env.js';

/** An ASIN argument, upper-cased; anything else is invalid input (exit 2). */
export function asinArgument(value: string): string {
  const asin = value.trim().toUpperCase();
  if (!AsinSchema.safeParse(asin).success) {
    throw new CliError(`"${value}" is not an ASIN`, { exitCode: EXIT.invalidInput, hint: 'an ASIN is 10 letters or digits, e.g. B0DEMO0001; find it with `sagasync books list`' });
  }
  return asin;
}

/** A choice among a closed list, for options such as `--source`. */
export function choiceOption<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new CliError(`unknown ${flag} "${value}"`, { hint: `use one of: ${allowed.join(', ')}` });
  return value as T;
}
