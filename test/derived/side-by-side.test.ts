// Indexes, metrics and relationships against TinyBase's: the same seeded random store edits, with
// the same definitions, give the same slice ids and row ids (in order), metrics and relationships
// after every step, and the same listener calls in the same order.
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {type Kind, randomStep, runBoth} from './side-by-side.js';

describe.each<Kind>(['store', 'mergeable'])('side by side with TinyBase (%s)', (kind) => {
  test('random edits after the definitions', () => {
    fc.assert(
      fc.property(fc.array(randomStep, {maxLength: 25}), (steps) => {
        const [theirs, ours] = runBoth(kind, [], steps);
        expect(ours).toEqual(theirs);
      }),
      {seed: 61, numRuns: 300},
    );
  });

  test('definitions over content that is already there', () => {
    fc.assert(
      fc.property(
        fc.array(randomStep, {maxLength: 10}),
        fc.array(randomStep, {maxLength: 10}),
        (setUp, steps) => {
          const [theirs, ours] = runBoth(kind, setUp, steps);
          expect(ours).toEqual(theirs);
        },
      ),
      {seed: 62, numRuns: 200},
    );
  });
});
