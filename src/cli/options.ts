import { LabError } from '../errors';

/** A commander parser for a whole-number option that names the option when the value is wrong. */
export function wholeNumber(name: string, min: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) {
      throw new LabError('INVALID_OPTION', `Invalid ${name}: "${value}". Expected a whole number of at least ${min}.`);
    }
    return parsed;
  };
}
