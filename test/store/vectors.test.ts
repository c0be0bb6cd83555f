// The test vectors and merge rules of docs/protocol.md §1 to §4, checked through the public
// MergeableStore API of the implementation under test.
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {
  getChildHashTerm,
  getLeafChildHashTerm,
  getLeafHash,
  fnv1a32 as sourceFnv1a32,
} from '../../src/store/hash.js';
import {
  createHlcClock,
  encodeHlc,
  getClientId,
  HlcRunEncoder,
  isHlcSyntax,
  decodeHlc as sourceDecodeHlc,
} from '../../src/store/hlc.js';
import type {MergeableChanges, MergeableStore} from '../../src/store/types.js';
import {expectEquivalent, expectSame} from './support/compare.js';
import {createStore} from './support/stores.js';
import {
  COUNTER_LIMIT,
  clientIdOf,
  decodeHlc,
  fnv1a32,
  hlcOf,
  hlcWithClientId,
  leafContainerHash,
  leafHash,
  ManualClock,
  nodeContainerHash,
  START_TIME,
} from './support/wire.js';

const T = START_TIME;
const fixedAt = (time: number) => () => time;

/** The HLC that the stamp of one cell carries in a store's mergeable content. */
const cellHlc = (store: MergeableStore, tableId: string, rowId: string, cellId: string) =>
  store.getMergeableContent()[0][0][tableId][0][rowId][0][cellId][1];
const valueHlc = (store: MergeableStore, valueId: string) =>
  store.getMergeableContent()[1][0][valueId][1];

const cellChange = (
  tableId: string,
  rowId: string,
  cellId: string,
  cell: unknown,
  hlc?: string,
): MergeableChanges =>
  [
    [{[tableId]: [{[rowId]: [{[cellId]: hlc === undefined ? [cell] : [cell, hlc]}]}]}],
    [{}],
    1,
  ] as MergeableChanges;

describe('HLC encoding', () => {
  test('test-side helpers reproduce the spec vectors', () => {
    expect(fnv1a32('s1')).toBe(139573449);
    expect(fnv1a32('s2')).toBe(89240592);
    expect(clientIdOf('s1')).toBe('7JQY8');
    expect(clientIdOf('s2')).toBe('4JQFF');
    expect(hlcOf(T, 0, 's1')).toBe('Nn1JUF-----7JQY8');
    expect(hlcOf(T, 1, 's1')).toBe('Nn1JUF----07JQY8');
    expect(hlcOf(T, 5, 's2')).toBe('Nn1JUF----44JQFF');
    expect(decodeHlc('Nn1JUFJ---04JQFF')).toEqual([1704067200020, 1, '4JQFF']);
  });

  test('successive writes of store s1 at a fixed time count up', () => {
    const store = createStore('s1', fixedAt(T));
    store.setCell('t1', 'r1', 'c1', 1).setValue('v1', 1);
    expect(cellHlc(store, 't1', 'r1', 'c1')).toBe('Nn1JUF-----7JQY8');
    expect(valueHlc(store, 'v1')).toBe('Nn1JUF----07JQY8');
  });

  test('store s2 stamps its sixth write at counter 5 with client id 4JQFF', () => {
    const store = createStore('s2', fixedAt(T));
    for (let index = 0; index < 6; index++) {
      store.setValue(`v${index}`, index);
    }
    expect(valueHlc(store, 'v5')).toBe('Nn1JUF----44JQFF');
  });

  test('a store without uniqueId uses a random 5-character client id', () => {
    const first = createStore(undefined, fixedAt(T)).setValue('v', 1);
    const second = createStore(undefined, fixedAt(T)).setValue('v', 1);
    const firstHlc = valueHlc(first, 'v');
    const secondHlc = valueHlc(second, 'v');
    expect(firstHlc).toMatch(/^Nn1JUF-----[-0-9A-Z_a-z]{5}$/);
    expect(secondHlc).toMatch(/^Nn1JUF-----[-0-9A-Z_a-z]{5}$/);
    expect(firstHlc).not.toBe(secondHlc);
  });

  test('the counter restarts when the time moves on and holds when it moves back', () => {
    const clock = new ManualClock();
    const store = createStore('s1', clock.getNow);
    store.setValue('a', 1).setValue('b', 1);
    clock.advance(1);
    store.setValue('c', 1);
    clock.advance(-1000);
    store.setValue('d', 1);
    expect(valueHlc(store, 'a')).toBe(hlcOf(T, 0, 's1'));
    expect(valueHlc(store, 'b')).toBe(hlcOf(T, 1, 's1'));
    expect(valueHlc(store, 'c')).toBe(hlcOf(T + 1, 0, 's1'));
    expect(valueHlc(store, 'd')).toBe(hlcOf(T + 1, 1, 's1'));
  });

  test('every change in a transaction gets its own HLC', () => {
    const store = createStore('s1', fixedAt(T));
    store.transaction(() => {
      store.setRow('t', 'r', {a: 1, b: 2}).setValue('v', 3);
    });
    expect(cellHlc(store, 't', 'r', 'a')).toBe(hlcOf(T, 0, 's1'));
    expect(cellHlc(store, 't', 'r', 'b')).toBe(hlcOf(T, 1, 's1'));
    expect(valueHlc(store, 'v')).toBe(hlcOf(T, 2, 's1'));
  });

  test('a seen HLC (Nn1JUFJ---04JQFF = T+20, counter 1) moves the local clock past it', () => {
    const store = createStore('s1', fixedAt(T));
    store.applyMergeableChanges(cellChange('t', 'r', 'seen', 1, 'Nn1JUFJ---04JQFF'));
    store.setValue('v', 1);
    expect(valueHlc(store, 'v')).toBe(hlcOf(T + 20, 2, 's1'));
    expect(decodeHlc(valueHlc(store, 'v'))).toEqual([T + 20, 2, '7JQY8']);
  });

  test('after seeing (T, 2^24-1) a local write at T gets (T+1, 0)', () => {
    const store = createStore('s1', fixedAt(T));
    const maxCounterHlc = hlcWithClientId(T, COUNTER_LIMIT - 1, clientIdOf('s2'));
    expect(maxCounterHlc).toBe('Nn1JUF-zzzz4JQFF');
    store.applyMergeableChanges(cellChange('t', 'r', 'seen', 1, maxCounterHlc));
    store.setValue('v', 1);
    expect(valueHlc(store, 'v')).toBe(hlcOf(T + 1, 0, 's1'));
  });

  test('local writes that reach the counter limit carry into the next millisecond', () => {
    const store = createStore('s1', fixedAt(T));
    store.applyMergeableChanges(
      cellChange('t', 'r', 'seen', 1, hlcWithClientId(T, COUNTER_LIMIT - 3, clientIdOf('s2'))),
    );
    store.setValue('a', 1).setValue('b', 1).setValue('c', 1);
    expect(valueHlc(store, 'a')).toBe(hlcOf(T, COUNTER_LIMIT - 2, 's1'));
    expect(valueHlc(store, 'b')).toBe(hlcOf(T, COUNTER_LIMIT - 1, 's1'));
    expect(valueHlc(store, 'c')).toBe(hlcOf(T + 1, 0, 's1'));
  });
});

describe('hashes', () => {
  test('fnv1a32 vectors (test-side reference)', () => {
    expect(fnv1a32('')).toBe(2166136261);
    expect(fnv1a32('a')).toBe(3826002220);
    expect(fnv1a32('hello')).toBe(1335831723);
  });

  test('the example MergeableContent of §1.2, to the last digit', () => {
    const store = createStore('s1', fixedAt(T));
    store.setCell('t1', 'r1', 'c1', 1).setValue('v1', 1);
    expectSame(store.getMergeableContent(), [
      [
        {
          t1: [{r1: [{c1: [1, 'Nn1JUF-----7JQY8', 1003668370]}, '', 550994372]}, '', 1072852846],
        },
        '',
        1771939739,
      ],
      [{v1: [1, 'Nn1JUF----07JQY8', 1130939691]}, '', 3877632732],
    ]);
  });

  test('the example store answers every hash getter with the spec numbers', () => {
    const store = createStore('s1', fixedAt(T));
    store.setCell('t1', 'r1', 'c1', 1).setValue('v1', 1);
    expect(store.getMergeableContentHashes()).toEqual([1771939739, 3877632732]);
    expect(store.getMergeableTableHashes()).toEqual({t1: 1072852846});
    expect(store.getMergeableRowHashes({t1: 0})).toEqual({t1: {r1: 550994372}});
    expect(store.getMergeableCellHashes({t1: {r1: 0}})).toEqual({t1: {r1: {c1: 1003668370}}});
    expect(store.getMergeableValueHashes()).toEqual({v1: 1130939691});
  });

  test('container hash vectors follow from the formulas', () => {
    expect(leafHash(1, 'Nn1JUF-----7JQY8')).toBe(1003668370);
    expect(leafContainerHash({c1: 1003668370})).toBe(550994372);
    expect(nodeContainerHash({r1: 550994372})).toBe(1072852846);
    expect(nodeContainerHash({t1: 1072852846})).toBe(1771939739);
    expect(leafContainerHash({v1: 1130939691})).toBe(3877632732);
  });

  test('an object cell is hashed in encoded form; a deleted cell hashes as null', () => {
    const store = createStore('s1', fixedAt(T));
    store
      .setCell('t1', 'r1', 'c1', 1)
      .setValue('v1', 1)
      .setCell('t1', 'r1', 'c2', {a: [1, 2]})
      .delCell('t1', 'r1', 'c1');
    const row = store.getMergeableContent()[0][0].t1[0].r1;
    expectSame(row[0].c2, [{a: [1, 2]}, 'Nn1JUF----17JQY8', 4223562916]);
    expectSame(row[0].c1, [undefined, 'Nn1JUF----27JQY8', 1235234137]);
    expect(fnv1a32('null:Nn1JUF----27JQY8')).toBe(1235234137);
    expect(row[2]).toBe(leafContainerHash({c1: 1235234137, c2: 4223562916}));
    expect(store.getCell('t1', 'r1', 'c2')).toEqual({a: [1, 2]});
    expect(store.getCell('t1', 'r1', 'c1')).toBeUndefined();
  });

  test('null hashes like a deletion but is a real value', () => {
    const store = createStore('s1', fixedAt(T));
    store.setCell('t', 'r', 'c', null).setValue('v', null);
    const content = store.getMergeableContent();
    expectSame(content[0][0].t[0].r[0].c, [
      null,
      hlcOf(T, 0, 's1'),
      fnv1a32(`null:${hlcOf(T, 0, 's1')}`),
    ]);
    expectSame(content[1][0].v, [null, hlcOf(T, 1, 's1'), fnv1a32(`null:${hlcOf(T, 1, 's1')}`)]);
    expect(store.hasCell('t', 'r', 'c')).toBe(true);
    expect(store.getCell('t', 'r', 'c')).toBeNull();
    expect(store.getValues()).toEqual({v: null});
  });

  test('defaulted content carries "" HLCs and hashes as json + ":"', () => {
    const store = createStore('s1', fixedAt(T));
    store.setDefaultContent([{t: {r: {c: 'x'}}}, {v: [1]}]);
    const content = store.getMergeableContent();
    expectSame(content[0][0].t[0].r[0].c, ['x', '', fnv1a32('"x":')]);
    expectSame(content[1][0].v, [[1], '', fnv1a32('"\uFFFD[1]":')]);
    expect(store.getTables()).toEqual({t: {r: {c: 'x'}}});
  });

  test('leaf hashes use exact JSON.stringify text for numbers and strings', () => {
    const cells: {[cellId: string]: string | number | boolean} = {
      int: 1,
      float: 3.5,
      big: 1e21,
      small: 5e-7,
      negative: -12.25,
      max: Number.MAX_VALUE,
      yes: true,
      no: false,
      empty: '',
      quote: 'say "hi" \\ back',
      control: '\u0000\u0007\b\t\n\f\r\u001f\u007f',
      separators: '\u2028\u2029',
      accents: 'éàü',
      astral: '😀𝄞',
      loneHigh: 'a\uD800b',
      loneLow: '\uDC00',
    };
    const store = createStore('s1', fixedAt(T));
    store.setRow('t', 'r', cells);
    const row = store.getMergeableContent()[0][0].t[0].r;
    const expectedHashes: {[cellId: string]: number} = {};
    for (const [cellId, cell] of Object.entries(cells)) {
      const [thing, hlc, hash] = row[0][cellId];
      expect(thing).toBe(cell);
      expect(hash, cellId).toBe(leafHash(cell, hlc));
      expectedHashes[cellId] = hash;
    }
    expect(row[2]).toBe(leafContainerHash(expectedHashes));
  });

  test('container hashes are XORs over their children at every level', () => {
    const store = createStore('s1', fixedAt(T));
    store
      .setTables({a: {x: {p: 1, q: 'q'}, y: {p: 2}}, b: {z: {r: [1, {s: null}]}}})
      .setValues({m: 1, n: 'n', o: {deep: [true]}})
      .delCell('a', 'y', 'p')
      .delValue('n');
    const [tables, values] = store.getMergeableContent();
    const tableHashes: {[tableId: string]: number} = {};
    for (const [tableId, [rows, , tableHash]] of Object.entries(tables[0])) {
      const rowHashes: {[rowId: string]: number} = {};
      for (const [rowId, [cells, , rowHash]] of Object.entries(rows)) {
        const cellHashes: {[cellId: string]: number} = {};
        for (const [cellId, [cell, hlc, cellHash]] of Object.entries(cells)) {
          expect(cellHash).toBe(leafHash(cell, hlc));
          cellHashes[cellId] = cellHash;
        }
        expect(rowHash).toBe(leafContainerHash(cellHashes));
        rowHashes[rowId] = rowHash;
      }
      expect(tableHash).toBe(nodeContainerHash(rowHashes));
      tableHashes[tableId] = tableHash;
    }
    expect(tables[2]).toBe(nodeContainerHash(tableHashes));
    const valueHashes: {[valueId: string]: number} = {};
    for (const [valueId, [value, hlc, valueHash]] of Object.entries(values[0])) {
      expect(valueHash).toBe(leafHash(value, hlc));
      valueHashes[valueId] = valueHash;
    }
    expect(values[2]).toBe(leafContainerHash(valueHashes));
    expect(store.getMergeableContentHashes()).toEqual([tables[2], values[2]]);
  });

  test('an empty store hashes to zero', () => {
    const store = createStore('s1', fixedAt(T));
    expectSame(store.getMergeableContent(), [
      [{}, '', 0],
      [{}, '', 0],
    ]);
    expect(store.getMergeableContentHashes()).toEqual([0, 0]);
    expect(store.getMergeableTableHashes()).toEqual({});
    expect(store.getMergeableValueHashes()).toEqual({});
  });
});

describe('merge rule', () => {
  test('last writer wins by HLC, whichever way the merge goes', () => {
    const clock = new ManualClock();
    const early = createStore('s1', clock.getNow).setCell('t', 'r', 'c', 'early');
    clock.advance(1);
    const late = createStore('s2', clock.getNow).setCell('t', 'r', 'c', 'late');
    const earlyCopy = createStore('s3', clock.getNow).setMergeableContent(
      early.getMergeableContent(),
    );
    early.applyMergeableChanges(late.getMergeableContent());
    late.applyMergeableChanges(earlyCopy.getMergeableContent());
    expect(early.getCell('t', 'r', 'c')).toBe('late');
    expect(late.getCell('t', 'r', 'c')).toBe('late');
    expectSame(early.getMergeableContent(), late.getMergeableContent());
  });

  test('an incoming stamp with an older HLC is ignored', () => {
    const store = createStore('s1', fixedAt(T + 10)).setValue('v', 'mine');
    const before = store.getMergeableContent();
    store.applyMergeableChanges([[{}], [{v: ['old', hlcOf(T, 0, 's2')]}], 1]);
    expectSame(store.getMergeableContent(), before);
  });

  test('an equal HLC keeps the existing value', () => {
    const store = createStore('s1', fixedAt(T)).setCell('t', 'r', 'c', 'mine');
    const before = store.getMergeableContent();
    store.applyMergeableChanges(cellChange('t', 'r', 'c', 'theirs', hlcOf(T, 0, 's1')));
    expectSame(store.getMergeableContent(), before);
    expect(store.getCell('t', 'r', 'c')).toBe('mine');
  });

  test('at the same time and counter the larger client id wins (7JQY8 beats 4JQFF)', () => {
    const s1 = createStore('s1', fixedAt(T)).setCell('t', 'r', 'c', 'from s1');
    const s2 = createStore('s2', fixedAt(T)).setCell('t', 'r', 'c', 'from s2');
    expect(cellHlc(s1, 't', 'r', 'c')).toBe('Nn1JUF-----7JQY8');
    expect(cellHlc(s2, 't', 'r', 'c')).toBe('Nn1JUF-----4JQFF');
    s1.merge(s2);
    expect(s1.getCell('t', 'r', 'c')).toBe('from s1');
    expect(s2.getCell('t', 'r', 'c')).toBe('from s1');
    expectSame(s1.getMergeableContent(), s2.getMergeableContent());
  });

  test('defaulted content never overwrites real data, locally or by merge', () => {
    const real = createStore('s1', fixedAt(T)).setCell('t', 'r', 'c', 'real').setValue('v', 1);
    real.setDefaultContent([{t: {r: {c: 'default', d: 'default'}}}, {v: 0, w: 0}]);
    // TinyBase 10 keeps 'real' in its stamps but shows 'default' in getTables() here (its plain
    // store and stamp tree disagree); syncstore must keep the two consistent.
    const stamps = real.getMergeableContent()[0][0].t[0].r[0];
    expectSame(stamps.c.slice(0, 2), ['real', hlcOf(T, 0, 's1')]);
    expectSame(stamps.d.slice(0, 2), ['default', '']);
    expect(real.getTables()).toEqual({t: {r: {c: 'real', d: 'default'}}});
    expect(real.getValues()).toEqual({v: 1, w: 0});

    const defaulted = createStore('s2', fixedAt(T)).setDefaultContent([
      {t: {r: {c: 'default'}}},
      {v: 0},
    ]);
    const realHashes = createStore('s3', fixedAt(T))
      .setCell('t', 'r', 'c', 'real')
      .setValue('v', 1);
    realHashes.applyMergeableChanges(defaulted.getMergeableContent());
    expect(realHashes.getTables()).toEqual({t: {r: {c: 'real'}}});
    expect(realHashes.getValues()).toEqual({v: 1});
  });

  test('defaulted content is overwritten by any incoming stamp, even another "" one', () => {
    const store = createStore('s1', fixedAt(T)).setDefaultContent([{t: {r: {c: 'default'}}}, {}]);
    store.applyMergeableChanges(cellChange('t', 'r', 'c', 'incoming'));
    expect(store.getCell('t', 'r', 'c')).toBe('incoming');
    expectSame(store.getMergeableContent()[0][0].t[0].r[0].c, [
      'incoming',
      '',
      fnv1a32('"incoming":'),
    ]);
    store.applyMergeableChanges(cellChange('t', 'r', 'c', 'stamped', hlcOf(T - 1000, 0, 's2')));
    expect(store.getCell('t', 'r', 'c')).toBe('stamped');
  });

  test('a local write beats a defaulted value', () => {
    const store = createStore('s1', fixedAt(T)).setDefaultContent([{}, {v: 'default'}]);
    store.setValue('v', 'mine');
    expectSame(store.getMergeableContent()[1][0].v, [
      'mine',
      hlcOf(T, 0, 's1'),
      leafHash('mine', hlcOf(T, 0, 's1')),
    ]);
  });

  test('deletions leave tombstones that merge as deletions', () => {
    const clock = new ManualClock();
    const source = createStore('s1', clock.getNow)
      .setTables({t: {r1: {a: 1, b: 2}, r2: {a: 3}}, u: {r: {a: 4}}})
      .setValues({v: 1, w: 2});
    const target = createStore('s2', clock.getNow);
    target.applyMergeableChanges(source.getMergeableContent());
    clock.advance(1);
    source.delCell('t', 'r1', 'a').delRow('t', 'r2').delTable('u').delValue('v');
    const content = source.getMergeableContent();
    expectSame(content[0][0].t[0].r1[0].a, [
      undefined,
      hlcOf(T + 1, 0, 's1'),
      leafHash(undefined, hlcOf(T + 1, 0, 's1')),
    ]);
    expectSame(content[0][0].t[0].r2[0].a, [
      undefined,
      hlcOf(T + 1, 1, 's1'),
      leafHash(undefined, hlcOf(T + 1, 1, 's1')),
    ]);
    expectSame(content[0][0].u[0].r[0].a, [
      undefined,
      hlcOf(T + 1, 2, 's1'),
      leafHash(undefined, hlcOf(T + 1, 2, 's1')),
    ]);
    expectSame(content[1][0].v, [
      undefined,
      hlcOf(T + 1, 3, 's1'),
      leafHash(undefined, hlcOf(T + 1, 3, 's1')),
    ]);
    expect(source.getTableIds()).toEqual(['t']);
    expect(Object.keys(source.getMergeableTableHashes())).toEqual(['t', 'u']);

    target.applyMergeableChanges(source.getMergeableContent());
    expect(target.getTables()).toEqual({t: {r1: {b: 2}}});
    expect(target.getValues()).toEqual({w: 2});
    expectSame(target.getMergeableContent(), source.getMergeableContent());

    source.delValues();
    target.applyMergeableChanges(source.getMergeableContent());
    expect(target.getValues()).toEqual({});
    expect(target.hasValues()).toBe(false);
    expectSame(target.getMergeableContent(), source.getMergeableContent());
  });

  test('a newer write revives a deleted cell; an older one does not', () => {
    const clock = new ManualClock();
    const store = createStore('s1', clock.getNow).setCell('t', 'r', 'c', 1);
    clock.advance(5);
    store.delRow('t', 'r');
    store.applyMergeableChanges(cellChange('t', 'r', 'c', 'older', hlcOf(T + 2, 0, 's2')));
    expect(store.hasRow('t', 'r')).toBe(false);
    store.applyMergeableChanges(cellChange('t', 'r', 'c', 'newer', hlcOf(T + 7, 0, 's2')));
    expect(store.getRow('t', 'r')).toEqual({c: 'newer'});
  });

  test('merge() is commutative and idempotent', () => {
    const build = () => {
      const clock = new ManualClock();
      const a = createStore('s1', clock.getNow)
        .setTables({t: {r: {a: 1, b: 2}}})
        .setValue('x', 1);
      const b = createStore('s2', clock.getNow)
        .setTables({t: {r: {b: 3, c: 4}}})
        .setValue('y', 2);
      clock.advance(3);
      a.delCell('t', 'r', 'a');
      b.setCell('t', 's', 'z', 'zed');
      return [a, b];
    };
    const [a1, b1] = build();
    const [a2, b2] = build();
    a1.merge(b1);
    b2.merge(a2);
    const merged = a1.getMergeableContent();
    // Key order follows arrival order, which differs between the stores; the content does not.
    for (const store of [b1, a2, b2]) {
      expectEquivalent(store.getMergeableContent(), merged);
    }
    expect(a1.getTables()).toEqual({t: {r: {b: 2, c: 4}, s: {z: 'zed'}}});
    let calls = 0;
    a1.addCellListener(null, null, null, () => calls++);
    a1.addValueListener(null, () => calls++);
    expect(a1.merge(b1)).toBe(a1);
    a1.merge(a2).merge(b2);
    expectSame(a1.getMergeableContent(), merged);
    expect(calls).toBe(0);
  });

  test('applying the same changes twice changes nothing the second time', () => {
    const source = createStore('s1', fixedAt(T)).setRow('t', 'r', {a: 1}).delCell('t', 'r', 'a');
    const target = createStore('s2', fixedAt(T));
    target.applyMergeableChanges(source.getMergeableContent());
    const once = target.getMergeableContent();
    let calls = 0;
    target.addTablesListener(() => calls++);
    target.applyMergeableChanges(source.getMergeableContent());
    expectSame(target.getMergeableContent(), once);
    expect(calls).toBe(0);
  });
});

describe('getTransactionMergeableChanges', () => {
  test('outside a transaction it is empty; with hashes it carries the container hashes', () => {
    const empty = createStore('s1', fixedAt(T));
    expectSame(empty.getTransactionMergeableChanges(), [[{}], [{}], 1]);
    expectSame(empty.getTransactionMergeableChanges(true), [[{}, '', 0], [{}, '', 0], 1]);
    const store = createStore('s1', fixedAt(T)).setCell('t1', 'r1', 'c1', 1).setValue('v1', 1);
    expectSame(store.getTransactionMergeableChanges(), [[{}], [{}], 1]);
    expectSame(store.getTransactionMergeableChanges(true), [
      [{}, '', 1771939739],
      [{}, '', 3877632732],
      1,
    ]);
  });

  test('inside a transaction it lists the touched cells and values, unhashed', () => {
    const store = createStore('s1', fixedAt(T)).setRow('t', 'r0', {keep: 0});
    let seen: unknown;
    store.transaction(() => {
      store.setRow('t', 'r', {a: 1, b: {o: [1]}}).setValue('v', 'x');
      seen = store.getTransactionMergeableChanges();
    });
    expectSame(seen, [
      [{t: [{r: [{a: [1, hlcOf(T, 1, 's1')], b: [{o: [1]}, hlcOf(T, 2, 's1')]}]}]}],
      [{v: ['x', hlcOf(T, 3, 's1')]}],
      1,
    ]);
  });

  test('a net no-op transaction (set then delete) still reports the tombstone', () => {
    const store = createStore('s1', fixedAt(T));
    let seen: unknown;
    let seenHashed: unknown;
    store.transaction(() => {
      store.setCell('t', 'r', 'c', 5).delCell('t', 'r', 'c');
      store.setValue('v', 1).delValue('v');
      seen = store.getTransactionMergeableChanges();
      seenHashed = store.getTransactionMergeableChanges(true);
    });
    const cellHlc1 = hlcOf(T, 1, 's1');
    const valueHlc1 = hlcOf(T, 3, 's1');
    expectSame(seen, [
      [{t: [{r: [{c: [undefined, cellHlc1]}]}]}],
      [{v: [undefined, valueHlc1]}],
      1,
    ]);
    const cellHash = leafHash(undefined, cellHlc1);
    const rowHash = leafContainerHash({c: cellHash});
    const tableHash = nodeContainerHash({r: rowHash});
    const valueHash = leafHash(undefined, valueHlc1);
    expectSame(seenHashed, [
      [
        {t: [{r: [{c: [undefined, cellHlc1, cellHash]}, '', rowHash]}, '', tableHash]},
        '',
        nodeContainerHash({t: tableHash}),
      ],
      [{v: [undefined, valueHlc1, valueHash]}, '', leafContainerHash({v: valueHash})],
      1,
    ]);
    expect(store.getTables()).toEqual({});
  });

  test('transaction listeners see the changes of the finishing transaction', () => {
    const store = createStore('s1', fixedAt(T));
    const seen: unknown[] = [];
    store.addWillFinishTransactionListener(() => seen.push(store.getTransactionMergeableChanges()));
    store.addDidFinishTransactionListener(() => seen.push(store.getTransactionMergeableChanges()));
    store.setCell('t', 'r', 'c', {a: [1, 2]});
    const expected = [[{t: [{r: [{c: [{a: [1, 2]}, hlcOf(T, 0, 's1')]}]}]}], [{}], 1];
    expectSame(seen, [expected, expected]);
  });

  test('changes merged in from elsewhere are reported too', () => {
    const store = createStore('s1', fixedAt(T));
    let seen: unknown;
    store.addDidFinishTransactionListener(() => {
      seen = store.getTransactionMergeableChanges();
    });
    store.applyMergeableChanges(cellChange('t', 'r', 'c', 1, hlcOf(T, 4, 's2')));
    expectSame(seen, [[{t: [{r: [{c: [1, hlcOf(T, 4, 's2')]}]}]}], [{}], 1]);
  });
});

describe('diff getters (§2 tiny examples)', () => {
  const buildA = () =>
    createStore('s1', fixedAt(T)).setCell('t1', 'r1', 'c1', 1).setCell('t1', 'r1', 'c2', 'x');
  const h1 = hlcOf(T, 0, 's1');
  const h2 = hlcOf(T, 1, 's1');
  const c1Hash = leafHash(1, h1);
  const c2Hash = leafHash('x', h2);
  const rowHash = leafContainerHash({c1: c1Hash, c2: c2Hash});
  const tableHash = nodeContainerHash({r1: rowHash});

  test('table hashes and table diff', () => {
    const a = buildA();
    expect(a.getMergeableTableHashes()).toEqual({t1: tableHash});
    expectSame(a.getMergeableTableDiff({t1: 222, t9: 5}), [[{}], {t1: tableHash}]);
    expectSame(a.getMergeableTableDiff({t1: tableHash}), [[{}], {}]);
    expectSame(a.getMergeableTableDiff({}), [[{t1: [{r1: [{c1: [1, h1], c2: ['x', h2]}]}]}], {}]);
  });

  test('row hashes and row diff', () => {
    const a = buildA();
    expect(a.getMergeableRowHashes({t1: 222})).toEqual({t1: {r1: rowHash}});
    expect(a.getMergeableRowHashes({t1: tableHash})).toEqual({});
    expect(a.getMergeableRowHashes({t9: 1})).toEqual({});
    expectSame(a.getMergeableRowDiff({t1: {r1: 444}}), [[{}], {t1: {r1: rowHash}}]);
    expectSame(a.getMergeableRowDiff({t1: {r1: rowHash}}), [[{}], {}]);
    expectSame(a.getMergeableRowDiff({t1: {}}), [
      [{t1: [{r1: [{c1: [1, h1], c2: ['x', h2]}]}]}],
      {},
    ]);
  });

  test('cell hashes and cell diff', () => {
    const a = buildA();
    expect(a.getMergeableCellHashes({t1: {r1: 444}})).toEqual({
      t1: {r1: {c1: c1Hash, c2: c2Hash}},
    });
    expect(a.getMergeableCellHashes({t1: {r1: rowHash}})).toEqual({});
    expectSame(a.getMergeableCellDiff({t1: {r1: {c1: c1Hash}}}), [{t1: [{r1: [{c2: ['x', h2]}]}]}]);
    expectSame(a.getMergeableCellDiff({t1: {r1: {c1: 10, c2: c2Hash}}}), [
      {t1: [{r1: [{c1: [1, h1]}]}]},
    ]);
  });

  test('value hashes and value diff', () => {
    const a = buildA();
    expectSame(a.getMergeableValueDiff({}), [{}]);
    a.setValue('v1', true).setValue('v2', [1]);
    const v1 = leafHash(true, hlcOf(T, 2, 's1'));
    const v2 = leafHash([1], hlcOf(T, 3, 's1'));
    expect(a.getMergeableValueHashes()).toEqual({v1, v2});
    // Diffs carry the stored, encoded form of object and array values.
    expectSame(a.getMergeableValueDiff({v1}), [{v2: ['\uFFFD[1]', hlcOf(T, 3, 's1')]}]);
    expectSame(a.getMergeableValueDiff({v1: 1, v2, v9: 3}), [{v1: [true, hlcOf(T, 2, 's1')]}]);
  });

  test('a full pull through the diff getters makes two stores equal', () => {
    const clock = new ManualClock();
    const a = createStore('s1', clock.getNow)
      .setTables({t1: {r1: {c1: 1, c2: 'x'}, r2: {c: 2}}, t2: {r: {c: 3}}})
      .setValues({v1: 1});
    const b = createStore('s2', clock.getNow);
    b.applyMergeableChanges(a.getMergeableContent());
    clock.advance(1);
    a.setCell('t1', 'r1', 'c2', 'y')
      .setRow('t1', 'r3', {n: 1})
      .setTable('t3', {r: {c: 0}});
    a.setValue('v2', 2);

    const [newTables, differingTables] = a.getMergeableTableDiff(b.getMergeableTableHashes());
    expect(Object.keys(newTables[0])).toEqual(['t3']);
    expect(Object.keys(differingTables)).toEqual(['t1']);
    const [newRows, differingRows] = a.getMergeableRowDiff(
      b.getMergeableRowHashes(differingTables),
    );
    expect(Object.keys(newRows[0].t1[0])).toEqual(['r3']);
    expect(differingRows).toEqual({t1: {r1: a.getMergeableRowHashes({t1: 0}).t1.r1}});
    const cells = a.getMergeableCellDiff(b.getMergeableCellHashes(differingRows));
    expectSame(cells, [{t1: [{r1: [{c2: ['y', hlcOf(T + 1, 0, 's1')]}]}]}]);
    const values = a.getMergeableValueDiff(b.getMergeableValueHashes());

    b.applyMergeableChanges([newTables, [{}], 1]);
    b.applyMergeableChanges([newRows, [{}], 1]);
    b.applyMergeableChanges([cells, [{}], 1]);
    b.applyMergeableChanges([[{}], values, 1]);
    expectSame(b.getMergeableContent(), a.getMergeableContent());
  });
});

describe('hostile ids are ordinary ids', () => {
  const hostileIds = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

  test.each(hostileIds)('%s as table, row, cell and value id', (id) => {
    const store = createStore('s1', fixedAt(T));
    expect(store.hasTable(id)).toBe(false);
    expect(store.hasRow(id, id)).toBe(false);
    expect(store.hasValue(id)).toBe(false);
    expect(store.getCell(id, id, id)).toBeUndefined();
    expect(store.getValue(id)).toBeUndefined();
    expect(store.getTableIds()).toEqual([]);
    expect(store.getRowIds(id)).toEqual([]);
    expect(store.getMergeableTableHashes()).toEqual({});

    store.setCell(id, id, id, id).setCell(id, 'other', 'c', 1).setValue(id, id);
    expect(store.getTableIds()).toEqual([id]);
    expect(store.getRowIds(id)).toEqual([id, 'other']);
    expect(store.getCellIds(id, id)).toEqual([id]);
    expect(store.getCell(id, id, id)).toBe(id);
    expect(store.getValue(id)).toBe(id);
    expect(Object.keys(store.getTables())).toEqual([id]);

    const content = store.getMergeableContent();
    const cellStamp = content[0][0][id][0][id][0][id];
    expectSame(cellStamp, [id, hlcOf(T, 0, 's1'), leafHash(id, hlcOf(T, 0, 's1'))]);
    expect(Object.keys(content[0][0])).toEqual([id]);

    const copy = createStore('s2', fixedAt(T));
    copy.applyMergeableChanges(content);
    expectSame(copy.getMergeableContent(), content);
    expect(copy.getTables()).toEqual(store.getTables());
    const loaded = createStore('s3', fixedAt(T)).setMergeableContent(content);
    expectSame(loaded.getMergeableContent(), content);

    store.delCell(id, id, id).delValue(id);
    expect(store.getCellIds(id, id)).toEqual([]);
    expect(store.getValueIds()).toEqual([]);
    expect(store.getRowIds(id)).toEqual(['other']);
  });

  test('no prototype was polluted', () => {
    expect(({} as {[key: string]: unknown}).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});

describe('pure functions of src/store (hash.ts, hlc.ts)', () => {
  test('fnv1a32 vectors', () => {
    expect(sourceFnv1a32('')).toBe(2166136261);
    expect(sourceFnv1a32('a')).toBe(3826002220);
    expect(sourceFnv1a32('hello')).toBe(1335831723);
    expect(sourceFnv1a32('s1')).toBe(139573449);
    expect(sourceFnv1a32('s2')).toBe(89240592);
  });

  test('fnv1a32 hashes the UTF-8 of any string as TextEncoder does (lone surrogates too)', () => {
    const loneSurrogate = fc
      .integer({min: 0xd800, max: 0xdfff})
      .map((code) => String.fromCharCode(code));
    const piece = fc.oneof(
      fc.string({unit: 'binary'}),
      fc.string({unit: 'grapheme'}),
      loneSurrogate,
      fc.constantFrom('\uD83D\uDE00', '\uDBFF\uDFFF', '\u0000', '\u07FF', '\u0800', '\uFFFF'),
    );
    fc.assert(
      fc.property(fc.array(piece, {maxLength: 6}), (pieces) => {
        const text = pieces.join('');
        expect(sourceFnv1a32(text)).toBe(fnv1a32(text));
      }),
      {seed: 20240101, numRuns: 500},
    );
  });

  test('leaf and container hash terms', () => {
    expect(getLeafHash(1, 'Nn1JUF-----7JQY8')).toBe(1003668370);
    expect(getLeafHash(1, 'Nn1JUF----07JQY8')).toBe(1130939691);
    expect(getLeafHash('\uFFFD{"a":[1,2]}', 'Nn1JUF----17JQY8')).toBe(4223562916);
    expect(getLeafHash(undefined, 'Nn1JUF----27JQY8')).toBe(1235234137);
    expect(getLeafHash(null, 'Nn1JUF----27JQY8')).toBe(1235234137);
    expect(getLeafChildHashTerm('c1', 1003668370)).toBe(550994372);
    expect(getChildHashTerm('r1', 550994372)).toBe(1072852846);
    expect(getChildHashTerm('t1', 1072852846)).toBe(1771939739);
    expect(getLeafChildHashTerm('v1', 1130939691)).toBe(3877632732);
  });

  test('leaf and term hashes without intermediate strings equal FNV-1a over the strings', () => {
    // hash.ts hashes numbers digit by digit and JSON-clean strings in place: every kind of thing
    // and hash must give what hashing the JSON text gives (the reference in support/wire.ts).
    const thing = fc.oneof(
      fc.integer(),
      fc.integer({min: -(2 ** 53) + 1, max: 2 ** 53 - 1}),
      fc.double(),
      fc.constantFrom(0, -0, 1e21, -1e-7, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY),
      fc.string({unit: 'binary'}),
      fc.string({unit: 'grapheme'}),
      fc.constantFrom('"', '\\', '\u0000', '\u001f', '\uD800', 'a\uDC00b', '\u2028', '\u00e9'),
      fc.boolean(),
      fc.constantFrom(null, undefined),
    );
    const hlc = fc.oneof(fc.constant(''), fc.string({unit: 'binary', maxLength: 16}));
    const hash = fc.oneof(
      fc.integer({min: 0, max: 0xffffffff}),
      fc.integer(),
      fc.double(),
      fc.constantFrom(0, -0, 2 ** 53, 1e21),
    );
    fc.assert(
      fc.property(thing, hlc, fc.string({unit: 'binary'}), hash, (thing, hlc, id, hash) => {
        expect(getLeafHash(thing, hlc)).toBe(fnv1a32(`${JSON.stringify(thing ?? null)}:${hlc}`));
        expect(getChildHashTerm(id, hash)).toBe(fnv1a32(`${id}:${hash}`));
        expect(getLeafChildHashTerm(id, hash)).toBe(
          (fnv1a32(`${id}:${hash}`) ^ fnv1a32(`${id}:0`)) >>> 0,
        );
      }),
      {seed: 20261202, numRuns: 2000},
    );
  });

  test('a run of HLCs encoded part by part equals encodeHlc for each', () => {
    const step = fc.record({
      time: fc.integer({min: 0, max: 2 ** 42 - 1}),
      counter: fc.integer({min: 0, max: 2 ** 24 - 1}),
      clientId: fc.constantFrom('7JQY8', '4JQFF', 'zzzzz'),
    });
    fc.assert(
      fc.property(fc.array(step, {maxLength: 20}), fc.boolean(), (steps, repeat) => {
        const encoder = new HlcRunEncoder();
        // Repeating each step's time and writer exercises the parts left as they were.
        for (const {time, counter, clientId} of repeat ? steps.flatMap((s) => [s, s]) : steps) {
          expect(encoder.encode(time, counter, clientId)).toBe(encodeHlc(time, counter, clientId));
        }
      }),
      {seed: 20261202, numRuns: 300},
    );
  });

  test('encodeHlc, decodeHlc and client ids', () => {
    expect(getClientId('s1')).toBe('7JQY8');
    expect(getClientId('s2')).toBe('4JQFF');
    expect(getClientId()).toMatch(/^[-0-9A-Z_a-z]{5}$/);
    expect(encodeHlc(T, 0, '7JQY8')).toBe('Nn1JUF-----7JQY8');
    expect(encodeHlc(T, 1, '7JQY8')).toBe('Nn1JUF----07JQY8');
    expect(encodeHlc(T, 5, '4JQFF')).toBe('Nn1JUF----44JQFF');
    expect(sourceDecodeHlc('Nn1JUFJ---04JQFF')).toEqual([1704067200020, 1, '4JQFF']);
    fc.assert(
      fc.property(
        fc.integer({min: 0, max: 2 ** 42 - 1}),
        fc.integer({min: 0, max: COUNTER_LIMIT - 1}),
        fc.constantFrom('7JQY8', '4JQFF', '-----', 'zzzzz'),
        (time, counter, clientId) => {
          const hlc = encodeHlc(time, counter, clientId);
          expect(hlc).toBe(hlcWithClientId(time, counter, clientId));
          expect(isHlcSyntax(hlc)).toBe(true);
          expect(sourceDecodeHlc(hlc)).toEqual([time, counter, clientId]);
        },
      ),
      {seed: 42, numRuns: 300},
    );
  });

  test('isHlcSyntax accepts exactly 16 alphabet characters', () => {
    expect(isHlcSyntax('Nn1JUF-----7JQY8')).toBe(true);
    expect(isHlcSyntax('zzzzzzzzzzzzzzzz')).toBe(true);
    for (const bad of [
      '',
      'Nn1JUF-----7JQY',
      'Nn1JUF-----7JQY8-',
      'Nn1JUF-----7JQY!',
      'Nn1JUF-----7JQ\u00e9',
      1,
      null,
    ]) {
      expect(isHlcSyntax(bad), String(bad)).toBe(false);
    }
  });

  test('the clock counts, carries, and ignores far-future or malformed HLCs', () => {
    const clock = new ManualClock();
    const hlcClock = createHlcClock('s1', clock.getNow);
    expect(hlcClock.next()).toBe(hlcOf(T, 0, 's1'));
    expect(hlcClock.next()).toBe(hlcOf(T, 1, 's1'));
    hlcClock.observe(hlcWithClientId(T, COUNTER_LIMIT - 1, '4JQFF'));
    expect(hlcClock.next()).toBe(hlcOf(T + 1, 0, 's1'));
    hlcClock.observe(hlcWithClientId(T + 5 * 60 * 1000 + 1, 0, '4JQFF'));
    hlcClock.observe('not an hlc');
    expect(hlcClock.next()).toBe(hlcOf(T + 1, 1, 's1'));
    hlcClock.observe(hlcWithClientId(T + 5 * 60 * 1000, 7, '4JQFF'));
    expect(hlcClock.next()).toBe(hlcOf(T + 5 * 60 * 1000, 8, 's1'));
    expect(hlcClock.isAcceptable('')).toBe(true);
    expect(hlcClock.isAcceptable(hlcOf(T + 5 * 60 * 1000, 0, 's2'))).toBe(true);
    expect(hlcClock.isAcceptable(hlcOf(T + 5 * 60 * 1000 + 1, 0, 's2'))).toBe(false);
    clock.advance(10 * 60 * 1000);
    expect(hlcClock.next()).toBe(hlcOf(T + 10 * 60 * 1000, 0, 's1'));
  });
});
