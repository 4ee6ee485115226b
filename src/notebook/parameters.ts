import { invalidOption } from '../options';
import { LabError } from '../errors';

/**
 * A notebook's parameters cell: defaults in the cell, values from outside
 * without editing it. Two ways, the later wins:
 *
 *   KAFKA_LAB_PARAMS='{"consumers": 6, "rows": 20000}'
 *   KAFKA_LAB_PARAM_CONSUMERS=6      (name in UPPER_SNAKE_CASE)
 *
 * Each value is converted to the type of its default (number, boolean, string,
 * or an array of numbers/strings written `1,3,6`), and a bad value fails with
 * the parameter's name.
 */

export type ParameterValue = number | string | boolean | number[] | string[];
export type Parameters = Record<string, ParameterValue>;

const sourcesOf = new WeakMap<object, Record<string, string>>();

/** `topicPrefix` → `TOPIC_PREFIX`. */
export function parameterEnvName(name: string): string {
  return `KAFKA_LAB_PARAM_${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

function convert(name: string, fallback: ParameterValue, raw: unknown, source: string): ParameterValue {
  const fail = (expected: string): never => {
    invalidOption(`notebook parameter ${name} from ${source}`, raw, expected);
  };
  if (typeof fallback === 'number') {
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    return Number.isFinite(value) ? value : fail('a number');
  }
  if (typeof fallback === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    return fail('true or false');
  }
  if (Array.isArray(fallback)) {
    const items = Array.isArray(raw)
      ? raw
      : typeof raw === 'string'
        ? raw
            .split(',')
            .map((item) => item.trim())
            .filter(Boolean)
        : fail('a list such as 1,3,6');
    const numeric = fallback.length === 0 || typeof fallback[0] === 'number';
    if (!numeric) return items.map(String);
    const numbers = items.map(Number);
    return numbers.every(Number.isFinite) ? numbers : fail('a list of numbers such as 1,3,6');
  }
  return typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : fail('a string');
}

/**
 * Returns the parameters: `defaults` overridden by `KAFKA_LAB_PARAMS` (JSON)
 * and `KAFKA_LAB_PARAM_<NAME>` variables. Names in the JSON that this notebook
 * does not have are ignored (a report run passes one set to every notebook).
 */
export function notebookParameters<T extends Parameters>(defaults: T, env: NodeJS.ProcessEnv = process.env): T {
  const values: Parameters = { ...defaults };
  const sources: Record<string, string> = {};
  if (env.KAFKA_LAB_PARAMS) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(env.KAFKA_LAB_PARAMS);
    } catch (error) {
      throw new LabError(
        'INVALID_OPTION',
        `KAFKA_LAB_PARAMS is not valid JSON (${(error as Error).message}). Example: KAFKA_LAB_PARAMS='{"consumers":6}'.`,
      );
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new LabError('INVALID_OPTION', 'KAFKA_LAB_PARAMS must be a JSON object, e.g. {"consumers":6}.');
    }
    for (const [name, raw] of Object.entries(parsed)) {
      if (!(name in defaults)) continue; // a report run may pass parameters that only some notebooks have
      values[name] = convert(name, defaults[name], raw, 'KAFKA_LAB_PARAMS');
      sources[name] = 'KAFKA_LAB_PARAMS';
    }
  }
  for (const name of Object.keys(defaults)) {
    const envName = parameterEnvName(name);
    const raw = env[envName];
    if (raw === undefined || raw === '') continue;
    values[name] = convert(name, defaults[name], raw, envName);
    sources[name] = envName;
  }
  sourcesOf.set(values, sources);
  return values as T;
}

/** Which parameters were set from outside, and by which variable. */
export function parameterSources(params: object): Record<string, string> {
  return sourcesOf.get(params) ?? {};
}
