// The helpers of the root entry, against TinyBase's own with the same (random) input: hashes,
// clocks, the default sorter and unique ids.
import fc from 'fast-check';
import * as tinybase from 'tinybase';
import {describe, expect, test} from 'vitest';
import * as syncstore from '../../src/index.js';
import {cell, text} from './support/arbitraries.js';
import {hlcOf, START_TIME} from './support/wire.js';

/** TinyBase's root exports that syncstore does not have (README: not offered). */
const NOT_IN_SCOPE = ['createMiddleware', 'createQueries'];

const hlc = fc
  .tuple(fc.integer({min: 0, max: 2 ** 20}), fc.integer({min: 0, max: 2 ** 24 - 1}), text)
  .map(([time, counter, uniqueId]) => hlcOf(START_TIME + time, counter, uniqueId));
const hashes = fc
  .array(fc.tuple(text, fc.nat({max: 2 ** 32 - 1})), {maxLength: 5})
  .map((entries) => Object.fromEntries(entries));
const ours = syncstore as unknown as Record<string, (...args: unknown[]) => unknown>;
const theirs = tinybase as unknown as Record<string, (...args: unknown[]) => unknown>;

describe('root exports', () => {
  test("are TinyBase's, but for the modules not in scope", () => {
    const expected = Object.keys(tinybase).filter((name) => !NOT_IN_SCOPE.includes(name));
    expect(Object.keys(syncstore).sort()).toEqual(expected.sort());
  });

  test('getHash and the leaf hashes agree with TinyBase on any input', () => {
    fc.assert(
      fc.property(text, fc.oneof(cell, fc.constant(undefined)), hlc, (string, thing, stamp) => {
        expect(syncstore.getHash(string)).toBe(tinybase.getHash(string));
        expect(syncstore.getCellHash(thing, stamp)).toBe(tinybase.getCellHash(thing, stamp));
        expect(syncstore.getValueHash(thing, stamp)).toBe(tinybase.getValueHash(thing, stamp));
      }),
      {seed: 1, numRuns: 300},
    );
  });

  const containerHashes = ['getRowHash', 'getTableHash', 'getTablesHash', 'getValuesHash'] as const;
  test.each(containerHashes)('%s agrees with TinyBase on any child hashes', (name) => {
    fc.assert(
      fc.property(hashes, (childHashes) => {
        expect(ours[name](childHashes)).toBe(theirs[name](childHashes));
      }),
      {seed: 2, numRuns: 200},
    );
  });

  const terms = [
    'getCellInRowHash',
    'getRowInTableHash',
    'getTableInTablesHash',
    'getValueInValuesHash',
    'addOrRemoveHash',
  ] as const;
  test.each(terms)('%s agrees with TinyBase on any id (or hash) and hash', (name) => {
    fc.assert(
      fc.property(
        fc.oneof(text, fc.nat({max: 2 ** 32 - 1})),
        fc.nat({max: 2 ** 32 - 1}),
        (first, hash) => {
          const firstArgument = name === 'addOrRemoveHash' ? Number(first) || 0 : String(first);
          expect(ours[name](firstArgument, hash)).toBe(theirs[name](firstArgument, hash));
        },
      ),
      {seed: 3, numRuns: 200},
    );
  });

  test('a row hash built with the helpers is the one the store computes', () => {
    const store = syncstore.createMergeableStore('me', () => START_TIME);
    store.setRow('t', 'r', {a: 1, b: 'two'});
    const [[tables]] = store.getMergeableContent();
    const [cells, , rowHash] = tables.t[0].r;
    const cellHashes = Object.fromEntries(
      Object.entries(cells).map(([cellId, [thing, stamp]]) => [
        cellId,
        syncstore.getCellHash(thing, stamp),
      ]),
    );
    expect(syncstore.getRowHash(cellHashes)).toBe(rowHash);
    expect(syncstore.getTableHash({r: rowHash})).toBe(tables.t[2]);
  });

  test('defaultSorter orders as TinyBase, undefined and null as 0', () => {
    const key = fc.oneof(
      fc.integer(),
      fc.string({maxLength: 3}),
      fc.constant(undefined),
      fc.constant(null),
      fc.boolean(),
    );
    fc.assert(
      fc.property(key, key, (key1, key2) => {
        expect(syncstore.defaultSorter(key1, key2)).toBe(tinybase.defaultSorter(key1, key2));
      }),
      {seed: 4, numRuns: 300},
    );
    expect(syncstore.defaultSorter(1, 2)).toBe(-1);
    expect(syncstore.defaultSorter(2, 1)).toBe(1);
  });

  test('getUniqueId gives ids of the asked length from the HLC alphabet, all different', () => {
    const alphabet = /^[-0-9A-Za-z_]*$/;
    for (const length of [undefined, 0, 1, 5, 16, 40]) {
      const id = syncstore.getUniqueId(length);
      expect(id.length).toBe(tinybase.getUniqueId(length).length);
      expect(id).toMatch(alphabet);
    }
    const ids = new Set(Array.from({length: 1000}, () => syncstore.getUniqueId()));
    expect(ids.size).toBe(1000);
  });

  test('getHlcFunctions gives the same HLCs as TinyBase for the same calls', () => {
    const call = fc.oneof(
      fc.constant({kind: 'next' as const}),
      fc.record({kind: fc.constant('seen' as const), hlc}),
      fc.record({kind: fc.constant('tick' as const), milliseconds: fc.constantFrom(0, 1, 5000)}),
      fc.record({
        kind: fc.constant('encode' as const),
        time: fc.nat({max: 2 ** 42 - 1}),
        counter: fc.nat({max: 2 ** 24 - 1}),
        uniqueId: fc.option(text, {nil: undefined}),
      }),
      fc.record({kind: fc.constant('decode' as const), hlc}),
    );
    fc.assert(
      fc.property(text, fc.array(call, {maxLength: 20}), (uniqueId, calls) => {
        const run = (getHlcFunctions: typeof syncstore.getHlcFunctions) => {
          let now = START_TIME + 2 ** 19;
          const functions = getHlcFunctions(uniqueId, () => now);
          const [next, seen, encode, decode, lastTime, lastCounter, clientId] = functions;
          const results: unknown[] = [functions.length, clientId()];
          for (const step of calls) {
            if (step.kind === 'next') {
              results.push(next());
            } else if (step.kind === 'seen') {
              seen(step.hlc);
            } else if (step.kind === 'tick') {
              now += step.milliseconds;
            } else if (step.kind === 'encode') {
              results.push(encode(step.time, step.counter, step.uniqueId));
            } else {
              results.push(decode(step.hlc));
            }
            results.push(lastTime(), lastCounter());
          }
          return results;
        };
        expect(run(syncstore.getHlcFunctions)).toEqual(
          run(tinybase.getHlcFunctions as typeof syncstore.getHlcFunctions),
        );
      }),
      {seed: 5, numRuns: 200},
    );
  });

  test('getHlcFunctions without a unique id has a random client id', () => {
    const [, , , , , , clientId] = syncstore.getHlcFunctions();
    expect(clientId()).toMatch(/^[-0-9A-Za-z_]{5}$/);
    expect(clientId()).not.toBe(syncstore.getHlcFunctions()[6]());
  });
});
