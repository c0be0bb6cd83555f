// The CLI's limits per client (docs/protocol.md §6.9): `--limits <file.json>` holding an object of
// createWsServer's `limits` fields, and `--limit name=value`, repeatable, which wins over the
// file. Every name and number is checked before the server starts, so that a typo never leaves a
// server running with a default the operator meant to change.
import {readFileSync} from 'node:fs';
import {type ClientLimits, DEFAULT_LIMITS, resolveLimits} from './client-limits.js';

const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as (keyof ClientLimits)[];

const isLimitName = (name: string): name is keyof ClientLimits =>
  (LIMIT_NAMES as string[]).includes(name);

const unknownLimit = (where: string, name: string): Error =>
  new Error(`${where}: unknown limit ${JSON.stringify(name)} (known: ${LIMIT_NAMES.join(', ')})`);

/** A --limit value: a number of 0 or more, or `off` / `Infinity` for no limit (as 0 is). */
const parseLimitValue = (pair: string, text: string): number => {
  if (text === 'off') {
    return Number.POSITIVE_INFINITY;
  }
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (Number.isNaN(value) || value < 0) {
    throw new Error(`--limit ${pair}: the value must be a number of 0 or more, or "off"`);
  }
  return value;
};

const readLimitsFile = (path: string): ClientLimits => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`--limits ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`--limits ${path}: must hold a JSON object of limits`);
  }
  for (const [name, value] of Object.entries(parsed)) {
    if (!isLimitName(name)) {
      throw unknownLimit(`--limits ${path}`, name);
    }
    if (typeof value !== 'number' || value < 0) {
      throw new Error(`--limits ${path}: ${name} must be a number of 0 or more`);
    }
  }
  return parsed as ClientLimits;
};

/**
 * The limits asked for on the command line: the file's, then each `name=value` pair on top.
 * Undefined when neither was given (the server's defaults hold).
 */
export const parseCliLimits = (
  file: string | undefined,
  pairs: readonly string[],
): ClientLimits | undefined => {
  if (file === undefined && pairs.length === 0) {
    return undefined;
  }
  const limits: ClientLimits = file === undefined ? {} : readLimitsFile(file);
  for (const pair of pairs) {
    const separator = pair.indexOf('=');
    if (separator < 0) {
      throw new Error(`--limit ${pair}: expected name=value, e.g. maxIdBytes=512`);
    }
    const name = pair.slice(0, separator).trim();
    if (!isLimitName(name)) {
      throw unknownLimit(`--limit ${pair}`, name);
    }
    limits[name] = parseLimitValue(pair, pair.slice(separator + 1));
  }
  // The same check createWsServer makes, here so that the CLI stops before it listens.
  resolveLimits(limits);
  return limits;
};

/** The limits as one log line's worth: `name=value` for each one set, `off` for no limit. */
export const describeLimits = (limits: ClientLimits): string =>
  Object.entries(limits)
    .map(
      ([name, value]) =>
        `${name}=${value === 0 || value === Number.POSITIVE_INFINITY ? 'off' : value}`,
    )
    .join(' ');
