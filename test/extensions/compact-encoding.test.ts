// The compact content encoding (docs/protocol.md §8.6): what it leaves out must come back exactly,
// and what is not compact content is refused with the place that is wrong.
import {describe, expect, test} from 'vitest';
import {UNDEFINED_MARKER} from '../../src/store/cell.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import type {MergeableChanges} from '../../src/store/types.js';
import {
  CompactEncoder,
  decodeCompactContent,
  decodeCompactRows,
  encodeCompactContent,
} from '../../src/synchronizers/extensions/compact-encoding.js';
import {
  decodeExtensionFrame,
  EncodedJson,
  encodeExtensionFrame,
} from '../../src/synchronizers/extensions/wire.js';
import {parseWithMarker, stringifyWithMarker} from '../../src/synchronizers/ws/frames.js';

const T = Date.UTC(2024, 0, 1);

/** Through the wire and back, as an extension frame body travels. */
const roundTrip = (changes: MergeableChanges) =>
  decodeCompactContent(
    parseWithMarker(stringifyWithMarker(encodeCompactContent(changes[0], changes[1])))!.value,
  );

/** Content of every kind: two writers, tombstones, objects, an empty row and an empty table. */
const variedStore = () => {
  let now = T;
  const a = createMergeableStore('a', () => now);
  a.setCell('t', 'r1', 'c1', 1).setCell('t', 'r1', 'c2', 'x').setCell('t', 'r2', 'c2', true);
  a.setCell('t', 'r3', 'c3', {deep: [1, 2]}).delCell('t', 'r1', 'c2');
  a.setValue('v1', null).setValue('v2', 'é😀');
  now = T - 5000; // an earlier clock for the second writer: time deltas go backwards
  const b = createMergeableStore('b', () => now)
    .setCell('u', 'r', 'c', 2)
    .setValue('v3', 3);
  a.merge(b);
  a.applyMergeableChanges([[{t: [{empty: [{}]}], none: [{}]}], [{}], 1] as never);
  return a;
};

describe('compact encoding', () => {
  test('merging the decoded content gives the same stamps and hashes as the plain content', () => {
    const source = variedStore();
    const content = source.getEncodedMergeableContent();
    const decoded = roundTrip([content[0], content[1], 1] as MergeableChanges);
    const viaCompact = createMergeableStore('x');
    const viaPlain = createMergeableStore('y');
    expect(viaCompact.applyEncodedMergeableChanges(decoded)).toBeUndefined();
    viaPlain.applyEncodedMergeableChanges(content);
    expect(viaCompact.getMergeableContent()).toEqual(viaPlain.getMergeableContent());
    expect(viaCompact.getMergeableContentHashes()).toEqual(source.getMergeableContentHashes());
  });

  test('loading the decoded rows gives the same stamps, order and hashes as the plain content', () => {
    const source = variedStore();
    const content = source.getEncodedMergeableContent();
    const body = parseWithMarker(stringifyWithMarker(encodeCompactContent(content[0], content[1])));
    const viaRows = createMergeableStore('x');
    expect(viaRows.applyEncodedRowList(decodeCompactRows(body!.value))).toBeUndefined();
    const viaPlain = createMergeableStore('y');
    viaPlain.applyEncodedMergeableChanges(content);
    expect(JSON.stringify(viaRows.getMergeableContent())).toBe(
      JSON.stringify(viaPlain.getMergeableContent()),
    );
    expect(viaRows.getMergeableContentHashes()).toEqual(source.getMergeableContentHashes());
  });

  test('ids are written once, cells by position, hashes not at all', () => {
    const store = createMergeableStore('s1', () => T);
    store.transaction(() => {
      for (let row = 0; row < 3; row++) {
        store.setCell('t', `r${row}`, 'a', row).setCell('t', `r${row}`, 'b', `v${row}`);
      }
    });
    const [tables, values] = store.getEncodedMergeableContent();
    expect(encodeCompactContent(tables, values)).toEqual({
      k: ['7JQY8'],
      t: [
        [
          't',
          ['a', 'b'],
          [
            ['r0', 0, [T, 0], 'v0', 1],
            ['r1', 1, 1, 'v1', 1],
            ['r2', 2, 1, 'v2', 1],
          ],
        ],
      ],
      v: [],
    });
  });

  test('a row holding other cells than the table list writes their positions', () => {
    const changes = [
      [{t: [{r1: [{a: [1, 'Nn1JUF-----7JQY8']}], r2: [{b: [2, 'Nn1JUF----07JQY8']}]}]}],
      [{}],
      1,
    ] as unknown as MergeableChanges;
    const encoded = encodeCompactContent(changes[0], changes[1]);
    expect(encoded.t).toEqual([
      [
        't',
        ['a', 'b'],
        [
          ['r1', [0], 1, [T, 0]],
          ['r2', [1], 2, 1],
        ],
      ],
    ]);
    expect(roundTrip(changes)).toEqual(changes);
  });

  test('rows out of list order, short rows and rows that leave the order midway', () => {
    // Counters 1, 2, 3, ... ("0" is digit 1 of the HLC alphabet).
    const hlc = (counter: number) => `Nn1JUF----${'0123456789'[counter]}7JQY8`;
    const changes = [
      [
        {
          t: [
            {
              r1: [{a: [1, hlc(0)], b: [2, hlc(1)], c: [3, hlc(2)]}],
              r2: [{b: [4, hlc(3)], a: [5, hlc(4)]}],
              r3: [{a: [6, hlc(5)]}],
              r4: [{a: [7, hlc(6)], c: [8, hlc(7)]}],
              r5: [{}],
            },
          ],
        },
      ],
      [{}],
      1,
    ] as unknown as MergeableChanges;
    const encoded = encodeCompactContent(changes[0], changes[1]);
    expect(encoded.t).toEqual([
      [
        't',
        ['a', 'b', 'c'],
        [
          ['r1', 1, [T, 1], 2, 1, 3, 1],
          ['r2', [1, 0], 4, 1, 5, 1],
          ['r3', [0], 6, 1],
          ['r4', [0, 2], 7, 1, 8, 1],
          ['r5', []],
        ],
      ],
    ]);
    expect(roundTrip(changes)).toEqual(changes);
  });

  test('the encoder writes its frame JSON in one pass, marker included when a tombstone needs it', () => {
    for (const withTombstone of [false, true]) {
      const store = variedStore();
      if (!withTombstone) {
        store.setCell('t', 'r1', 'c2', 'back'); // the only tombstone lives again
      }
      const [tables, values] = store.getEncodedMergeableContent();
      const encoder = new CompactEncoder();
      for (const tableId of Object.keys(tables[0])) {
        encoder.startTable(tableId);
        for (const rowId of Object.keys(tables[0][tableId]![0])) {
          encoder.startRow(rowId);
          store.forEachEncodedRowLeaf(tableId, rowId, encoder.addCell);
        }
      }
      for (const valueId of Object.keys(values[0])) {
        encoder.addValue(valueId, values[0][valueId]![0], values[0][valueId]![1]);
      }
      const json = encoder.finishAsJson();
      expect(json).toBe(stringifyWithMarker(encodeCompactContent(tables, values)));
      expect(json.includes(UNDEFINED_MARKER)).toBe(withTombstone);
    }
  });

  test('an answer field already encoded goes into the frame as it is', () => {
    const content = stringifyWithMarker({t: [1, undefined]});
    for (const [body, expected] of [
      [
        {hashes: [1, 2], content: new EncodedJson(content), id: 'q'},
        {hashes: [1, 2], id: 'q', content: {t: [1, undefined]}},
      ],
      [{content: new EncodedJson(content)}, {content: {t: [1, undefined]}}],
      [{next: null}, {next: null}],
    ] as const) {
      const frame = decodeExtensionFrame(encodeExtensionFrame('compact', 'snapshot', body));
      expect(frame).toEqual({feature: 'compact', type: 'snapshot', body: expected});
    }
  });

  test.each([
    [null, 'body: not an object'],
    [{k: ['bad'], t: [], v: []}, 'at k: not a list'],
    [{k: [], t: {}, v: []}, 'at t: not a list'],
    [{k: [], t: [], v: [1]}, 'at v: not a list of id, thing, stamp triples'],
    [{k: [], t: [['t', ['c'], [['r', 1]]]], v: []}, 'at t[0] row 0: not a thing and a stamp'],
    [{k: [], t: [['t', ['c'], [['r', 1, 1]]]], v: []}, 'at t[0] row 0: an HLC without any writer'],
    [{k: ['7JQY8'], t: [['t', ['c'], [['r', 1, [0, 0, 1]]]]], v: []}, 'no writer 1'],
    [{k: ['7JQY8'], t: [['t', ['c'], [['r', 1, -1]]]], v: []}, 'counter -1 out of range'],
    [{k: ['7JQY8'], t: [['t', ['c'], [['r', [3], 1, 1]]]], v: []}, 'no cell id at position 3'],
    [{k: ['7JQY8'], t: [['t', ['c'], [['r', 1, 'x']]]], v: []}, 'not a stamp'],
    [{k: ['7JQY8'], t: [['t', ['c'], [['r', 1, 1.5]]]], v: []}, 'at t[0] row 0: not a stamp'],
    [{k: ['7JQY8'], t: [], v: ['v', 1, [-1, 0]]}, 'at v[0]: time -1 out of range'],
  ])('refuses %j', (body, message) => {
    expect(() => decodeCompactContent(body)).toThrow(message);
  });
});
