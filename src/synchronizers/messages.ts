// Validation of incoming protocol messages (docs/protocol.md §5.3), as a pure module shared by every transport.
// `validateMessage` returns undefined for a valid message, or a sentence saying what is wrong and
// where, e.g. `GetRowDiff body: table "t1" > row "r1": hash -1 is not an integer 0..4294967295`.
// Reasons are built only on failure, so validating a large valid body costs one walk and no
// string building.

import {isPlainObject} from '../store/cell.js';
import {isHlcSyntax} from '../store/hlc.js';
import {Message} from './types.js';

const MESSAGE_NAMES: readonly string[] = [
  'Response',
  'GetContentHashes',
  'ContentHashes',
  'ContentDiff',
  'GetTableDiff',
  'GetRowDiff',
  'GetCellDiff',
  'GetValueDiff',
];

/** The protocol name of a message number, or `message <n>` for unknown ones. */
export function getMessageName(message: unknown): string {
  return typeof message === 'number' && MESSAGE_NAMES[message] !== undefined
    ? MESSAGE_NAMES[message]
    : `message ${String(message)}`;
}

/** What is wrong, and where: the ids leading to it, e.g. ['table "t1"', 'row "r1"']. */
type Failure = {path: string[]; problem: string};
type Problem = Failure | undefined;

function fail(problem: string): Failure {
  return {path: [], problem};
}

function within(level: string, id: string, failure: Failure): Failure {
  failure.path.unshift(`${level} ${JSON.stringify(id)}`);
  return failure;
}

function describe(failure: Failure): string {
  return failure.path.length ? `${failure.path.join(' > ')}: ${failure.problem}` : failure.problem;
}

const MAX_HASH = 0xffffffff;
const TABLES_LEVELS = ['table', 'row', 'cell'];
const VALUES_LEVELS = ['value'];

/** A short, bounded rendering of a bad value for error messages. */
function show(value: unknown): string {
  if (value === undefined || typeof value === 'number' || typeof value === 'function') {
    return typeof value === 'function' ? 'a function' : String(value);
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `""` or 16 characters of the HLC alphabet (no check of the time it encodes). */
function isHlcOrEmpty(hlc: unknown): hlc is string {
  return hlc === '' || isHlcSyntax(hlc);
}

function isHash(hash: unknown): hash is number {
  return typeof hash === 'number' && Number.isInteger(hash) && hash >= 0 && hash <= MAX_HASH;
}

function checkHash(hash: unknown): Problem {
  return isHash(hash) ? undefined : fail(`hash ${show(hash)} is not an integer 0..${MAX_HASH}`);
}

/** A hash tree of `depth`: an object whose leaves, `depth` levels down, are hashes. */
function checkHashTree(
  tree: unknown,
  depth: number,
  levels: readonly string[],
  level = 0,
): Problem {
  if (!isPlainObject(tree)) {
    return fail(
      `expected an object of ${levels[level]} ${depth ? 'entries' : 'hashes'}, got ${show(tree)}`,
    );
  }
  for (const id in tree) {
    if (!Object.hasOwn(tree, id)) {
      continue;
    }
    const child = tree[id];
    const problem = depth ? checkHashTree(child, depth - 1, levels, level + 1) : checkHash(child);
    if (problem !== undefined) {
      return within(levels[level], id, problem);
    }
  }
  return undefined;
}

function checkCellOrValue(thing: unknown): Problem {
  switch (typeof thing) {
    case 'undefined':
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(thing) ? undefined : fail(`${show(thing)} is not a finite number`);
    case 'object':
      return thing === null || Array.isArray(thing) || isPlainObject(thing)
        ? undefined
        : fail(`${show(thing)} is not a JSON value`);
    default:
      return fail(`a ${typeof thing} is not a cell or value`);
  }
}

/**
 * A stamp of `depth` without hash: `[thing]` or `[thing, hlc]`. At depth 0 the thing is a cell or
 * value (or undefined for a deletion); above, an object of child stamps.
 */
function checkStamp(stamp: unknown, depth: number, levels: readonly string[], level = 0): Problem {
  if (!Array.isArray(stamp)) {
    return fail(`expected a stamp array, got ${show(stamp)}`);
  }
  if (stamp.length === 2) {
    if (!isHlcOrEmpty(stamp[1])) {
      return fail(`HLC ${show(stamp[1])} is not "" or 16 characters of [-0-9A-Z_a-z]`);
    }
  } else if (stamp.length !== 1) {
    return fail(`a stamp has 1 or 2 elements (no hash on the wire), got ${stamp.length}`);
  }
  const thing = stamp[0];
  if (depth === 0) {
    return checkCellOrValue(thing);
  }
  if (!isPlainObject(thing)) {
    return fail(`expected an object of ${levels[level]} stamps, got ${show(thing)}`);
  }
  for (const id in thing) {
    if (!Object.hasOwn(thing, id)) {
      continue;
    }
    const problem = checkStamp(thing[id], depth - 1, levels, level + 1);
    if (problem !== undefined) {
      return within(levels[level], id, problem);
    }
  }
  return undefined;
}

function checkContentHashes(body: unknown): string | undefined {
  if (!Array.isArray(body) || body.length !== 2) {
    return `expected [tablesHash, valuesHash], got ${show(body)}`;
  }
  const problem = checkHash(body[0]) ?? checkHash(body[1]);
  return problem && describe(problem);
}

function checkTablesStamp(stamp: unknown): string | undefined {
  const problem = checkStamp(stamp, 3, TABLES_LEVELS);
  return problem && describe(problem);
}

function checkValuesStamp(stamp: unknown): string | undefined {
  const problem = checkStamp(stamp, 1, VALUES_LEVELS);
  return problem && describe(problem);
}

function checkHashes(tree: unknown, depth: number, levels: readonly string[]): string | undefined {
  const problem = checkHashTree(tree, depth, levels);
  return problem && describe(problem);
}

function checkChanges(body: unknown): string | undefined {
  if (!Array.isArray(body)) {
    return `expected [tables, values, 1], got ${show(body)}`;
  }
  if (!(body.length === 2 || (body.length === 3 && body[2] === 1))) {
    return `expected [tables, values] or [tables, values, 1], got ${body.length} elements${
      body.length === 3 ? ` ending with ${show(body[2])}` : ''
    }`;
  }
  const tablesProblem = checkTablesStamp(body[0]);
  if (tablesProblem !== undefined) {
    return `tables: ${tablesProblem}`;
  }
  const valuesProblem = checkValuesStamp(body[1]);
  return valuesProblem === undefined ? undefined : `values: ${valuesProblem}`;
}

/** Responses: ContentHashes, a tables stamp, a values stamp, or [tables stamp, table/row hashes]. */
function checkResponse(body: unknown): string | undefined {
  if (!Array.isArray(body)) {
    return `expected an array, got ${show(body)}`;
  }
  if (body.length === 2 && typeof body[0] === 'number') {
    const problem = checkContentHashes(body);
    return problem === undefined ? undefined : `content hashes: ${problem}`;
  }
  if (body.length === 2 && Array.isArray(body[0])) {
    const stampProblem = checkTablesStamp(body[0]);
    if (stampProblem !== undefined) {
      return `diff tables: ${stampProblem}`;
    }
    const asTableHashes = checkHashes(body[1], 0, TABLES_LEVELS);
    const asRowHashes = asTableHashes && checkHashes(body[1], 1, TABLES_LEVELS);
    return (
      asRowHashes &&
      `differing hashes: neither table hashes (${asTableHashes}) nor row hashes (${asRowHashes})`
    );
  }
  const asTables = checkTablesStamp(body);
  if (asTables === undefined) {
    return undefined;
  }
  const asValues = checkValuesStamp(body);
  if (asValues === undefined) {
    return undefined;
  }
  return `neither a tables stamp (${asTables}) nor a values stamp (${asValues})`;
}

function checkBody(message: number, body: unknown): string | undefined {
  switch (message) {
    case Message.Response:
      return checkResponse(body);
    case Message.GetContentHashes:
      return body === '' ? undefined : `expected "", got ${show(body)}`;
    case Message.ContentHashes:
      return checkContentHashes(body);
    case Message.ContentDiff:
      return checkChanges(body);
    case Message.GetTableDiff:
      return checkHashes(body, 0, TABLES_LEVELS);
    case Message.GetRowDiff:
      return checkHashes(body, 1, TABLES_LEVELS);
    case Message.GetCellDiff:
      return checkHashes(body, 2, TABLES_LEVELS);
    case Message.GetValueDiff:
      return checkHashes(body, 0, VALUES_LEVELS);
    default:
      return 'unknown message number';
  }
}

/**
 * Checks a received message against the protocol. Returns undefined when valid, otherwise a
 * human-readable reason naming the message and the offending part of its body.
 */
export function validateMessage(
  requestId: unknown,
  message: unknown,
  body: unknown,
): string | undefined {
  if (requestId !== null && typeof requestId !== 'string') {
    return `request id ${show(requestId)} is neither null nor a string`;
  }
  if (typeof message !== 'number' || !Number.isInteger(message)) {
    return `message number ${show(message)} is not an integer`;
  }
  const problem = checkBody(message, body);
  return problem === undefined ? undefined : `${getMessageName(message)} body: ${problem}`;
}
