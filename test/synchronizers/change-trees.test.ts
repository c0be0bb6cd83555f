// writesBesides: from a transaction's changes, the leaves a store wrote itself while merging.
import {describe, expect, test} from 'vitest';
import type {MergeableChanges} from '../../src/store/types.js';
import {writesBesides} from '../../src/synchronizers/change-trees.js';

const HLC_PEER = 'Nn1JUF-----7JQY8';
const HLC_LOCAL = 'Nn1JUF----04JQFF';
const HLC_LATER = 'Nn1JUF----14JQFF';

describe('writesBesides', () => {
  test('keeps only the leaves whose HLC the merged changes do not carry there', () => {
    const merged: MergeableChanges = [
      [{t1: [{r1: [{name: ['ada', HLC_PEER]}]}]}],
      [{open: [true, HLC_PEER]}],
      1,
    ];
    const transaction: MergeableChanges = [
      [
        {
          t1: [{r1: [{name: ['ada', HLC_PEER], upper: ['ADA', HLC_LOCAL]}]}],
          t2: [{r9: [{seen: [true, HLC_LATER]}]}],
        },
      ],
      [{open: [false, HLC_LATER], count: [1, HLC_LOCAL]}],
      1,
    ];
    expect(writesBesides(transaction, merged)).toEqual([
      [{t1: [{r1: [{upper: ['ADA', HLC_LOCAL]}]}], t2: [{r9: [{seen: [true, HLC_LATER]}]}]}],
      [{open: [false, HLC_LATER], count: [1, HLC_LOCAL]}],
      1,
    ]);
  });

  test('is undefined when the transaction holds only what was merged', () => {
    const merged: MergeableChanges = [
      [{t1: [{r1: [{name: ['ada', HLC_PEER], gone: [undefined, HLC_PEER]}]}]}],
      [{}],
      1,
    ];
    expect(writesBesides(merged, merged)).toBeUndefined();
    expect(writesBesides([[{}], [{}], 1], merged)).toBeUndefined();
  });

  test('with default content (null), every leaf with an HLC is a write; defaults are not', () => {
    const transaction: MergeableChanges = [
      [{t1: [{r1: [{name: ['ada', ''], upper: ['ADA', HLC_LOCAL]}]}]}],
      [{theme: ['dark', '']}],
      1,
    ];
    expect(writesBesides(transaction, null)).toEqual([
      [{t1: [{r1: [{upper: ['ADA', HLC_LOCAL]}]}]}],
      [{}],
      1,
    ]);
  });

  test('ids such as __proto__ are kept as own properties', () => {
    const transaction = JSON.parse(
      `[[{"__proto__":[{"r1":[{"c1":[1,"${HLC_LOCAL}"]}]}]}],[{}],1]`,
    ) as MergeableChanges;
    const written = writesBesides(transaction, [[{}], [{}], 1]);
    expect(Object.keys(written![0][0])).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(written![0][0])).toBe(Object.prototype);
  });
});
