import { validateWholeNumber } from '../options';

/**
 * A commander parser for a whole-number flag, for flags the helper has no
 * validator of its own for (--brokers, --timeout, --rows of a generated file).
 * Flags the helper validates (--consumers, --partitions, --key, ...) use the
 * helper's own validator through cliNumber/cliChoice in ../options.ts.
 */
export function wholeNumber(name: string, min: number) {
  return (text: string): number => {
    const value = /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
    validateWholeNumber(name, value, min);
    return value as number;
  };
}
