// Protocol flows of the engine (docs/protocol.md §5.5–3.6): message sequences, bodies, ids, gating, echo
// suppression and coalescing of local transactions.
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import type {MergeableChanges, MergeableStore} from '../../src/store/types.js';
import type {CustomSynchronizer} from '../../src/synchronizers/index.js';
import {joinBus, runAllTimers as run, TestBus} from './helpers.js';

const T0 = Date.UTC(2024, 0, 1);

let bus: TestBus;
const synchronizers: CustomSynchronizer[] = [];

const join = (
  name: string,
  store: MergeableStore,
  timeoutSeconds = 1,
  onIgnoredError?: (e: Error) => void,
) => {
  const synchronizer = joinBus(bus, name, store, {timeoutSeconds, onIgnoredError});
  synchronizers.push(synchronizer);
  return synchronizer;
};

beforeEach(() => {
  vi.useFakeTimers({now: T0});
  bus = new TestBus();
});

afterEach(() => {
  for (const synchronizer of synchronizers.splice(0)) {
    synchronizer.destroy();
  }
  vi.useRealTimers();
});

describe('message sequences', () => {
  test('a peer joining one that is syncing: the trace of docs/protocol.md §5.7', async () => {
    const storeA = createMergeableStore('s1');
    storeA.setCell('t1', 'r1', 'c1', 1);
    const storeB = createMergeableStore('s2');
    storeB.setValue('v1', 'x');
    const a = join('A', storeA);
    const b = join('B', storeB);

    await run(() => a.startSync());
    expect(bus.describe()).toEqual(['A→all GET_CONTENT_HASHES', 'A→all CONTENT_HASHES']);
    bus.clear();

    await run(() => b.startSync());
    expect(bus.describe()).toEqual([
      'B→all GET_CONTENT_HASHES',
      'A→B RESPONSE',
      'B→A GET_TABLE_DIFF',
      'A→B RESPONSE',
      'B→A GET_VALUE_DIFF',
      'A→B RESPONSE',
      'B→all CONTENT_HASHES',
      'A→B GET_VALUE_DIFF',
      'B→A RESPONSE',
    ]);
    const [getHashes, hashes, getTableDiff, tableDiff, , valueDiff, announce, pullBack] = bus.log;
    expect(getHashes.body).toBe('');
    expect(getHashes.requestId).toMatch(/^[-0-9A-Za-z_]{11}\.[-0-9A-Za-z_]{4}$/);
    expect(hashes.requestId).toBe(getHashes.requestId);
    expect(hashes.body).toEqual([1771939739, 0]);
    expect(getTableDiff.body).toEqual({});
    // The whole pull runs under one transaction id.
    expect(getTableDiff.requestId!.slice(0, 11)).toBe(getHashes.requestId!.slice(0, 11));
    const hlc = storeA.getMergeableContent()[0][0].t1[0].r1[0].c1[1];
    expect(tableDiff.body).toEqual([[{t1: [{r1: [{c1: [1, hlc]}]}]}], {}]);
    expect(valueDiff.body).toEqual([{}]);
    expect(announce.requestId).toMatch(/^[-0-9A-Za-z_]{11}$/);
    // The peer pulling after a ContentHashes reuses its transaction id.
    expect(pullBack.requestId!.slice(0, 12)).toBe(`${announce.requestId}.`);

    expect(storeA.getContent()).toEqual([{t1: {r1: {c1: 1}}}, {v1: 'x'}]);
    expect(storeB.getContent()).toEqual(storeA.getContent());
    expect(a.getSyncStatus().phase).toBe('synced');
    expect(b.getSyncStatus().phase).toBe('synced');
  });

  test('local transactions travel as ContentDiff broadcasts, deletions as undefined', async () => {
    const storeA = createMergeableStore('s1');
    const storeB = createMergeableStore('s2');
    const a = join('A', storeA);
    const b = join('B', storeB);
    await run(() => a.startSync());
    await run(() => b.startSync());
    bus.clear();

    await run(() => storeA.setCell('t1', 'r2', 'c1', 2));
    expect(bus.describe()).toEqual(['A→all CONTENT_DIFF']);
    const hlc = storeA.getMergeableContent()[0][0].t1[0].r2[0].c1[1];
    expect(bus.log[0].body).toEqual([[{t1: [{r2: [{c1: [2, hlc]}]}]}], [{}], 1]);
    expect(bus.log[0].requestId).toMatch(/^[-0-9A-Za-z_]{11}$/);
    expect(storeB.getCell('t1', 'r2', 'c1')).toBe(2);

    bus.clear();
    await run(() => storeB.delCell('t1', 'r2', 'c1'));
    expect(bus.describe()).toEqual(['B→all CONTENT_DIFF']);
    const [tables] = bus.log[0].body as MergeableChanges;
    expect(tables[0].t1[0].r2[0].c1[0]).toBeUndefined();
    expect(storeA.hasCell('t1', 'r2', 'c1')).toBe(false);
    expect(a.getSynchronizerStats()).toEqual({
      sends: expect.any(Number),
      receives: expect.any(Number),
    });
  });

  test('object cells travel encoded and arrive decoded', async () => {
    const storeA = createMergeableStore('s1');
    const storeB = createMergeableStore('s2');
    await run(() => join('A', storeA).startSync());
    await run(() => join('B', storeB).startSync());
    bus.clear();
    await run(() => storeA.setCell('t1', 'r1', 'c1', {a: [1, 2]}));
    const [tables] = bus.log[0].body as MergeableChanges;
    expect(tables[0].t1[0].r1[0].c1[0]).toBe('\uFFFD{"a":[1,2]}');
    expect(storeB.getCell('t1', 'r1', 'c1')).toEqual({a: [1, 2]});
    expect(storeB.getMergeableContentHashes()).toEqual(storeA.getMergeableContentHashes());
  });

  test('several transactions in one tick are coalesced into one ContentDiff', async () => {
    const storeA = createMergeableStore('s1');
    const storeB = createMergeableStore('s2');
    await run(() => join('A', storeA).startSync());
    await run(() => join('B', storeB).startSync());
    bus.clear();
    await run(() => {
      storeA.setCell('t1', 'r1', 'c1', 1);
      storeA.setCell('t1', 'r1', 'c2', 2);
      storeA.setCell('t1', 'r1', 'c1', 3);
      storeA.setValue('v1', true);
      storeA.setCell('t2', 'r1', 'c1', 'x');
    });
    expect(bus.describe()).toEqual(['A→all CONTENT_DIFF']);
    const content = storeA.getMergeableContent();
    const stamp = (t: string, r: string, c: string) => content[0][0][t][0][r][0][c][1];
    expect(bus.log[0].body).toEqual([
      [
        {
          t1: [{r1: [{c1: [3, stamp('t1', 'r1', 'c1')], c2: [2, stamp('t1', 'r1', 'c2')]}]}],
          t2: [{r1: [{c1: ['x', stamp('t2', 'r1', 'c1')]}]}],
        },
      ],
      [{v1: [true, content[1][0].v1[1]]}],
      1,
    ]);
    expect(storeB.getContent()).toEqual(storeA.getContent());
  });

  test('changes received from the network are not broadcast again', async () => {
    const stores = ['s1', 's2', 's3'].map((id) => createMergeableStore(id));
    for (const [index, store] of stores.entries()) {
      await run(() => join(`P${index}`, store).startSync());
    }
    bus.clear();
    await run(() => stores[0].setRow('t1', 'r1', {c1: 1, c2: 2}));
    expect(bus.describe()).toEqual(['P0→all CONTENT_DIFF']);
    expect(stores[1].getRow('t1', 'r1')).toEqual({c1: 1, c2: 2});
    expect(stores[2].getRow('t1', 'r1')).toEqual({c1: 1, c2: 2});
  });

  test('a pull walks table → row → cell and values, then both sides have equal hashes', async () => {
    const storeA = createMergeableStore('s1');
    storeA
      .setTables({t1: {r1: {c1: 1, c2: 2}, r2: {c1: 1}}, t2: {r1: {c1: 'a'}}})
      .setValues({v1: 1});
    const storeB = createMergeableStore('s2');
    storeB.setTables({t1: {r1: {c1: 1}}}).setValues({v2: 2});
    const a = join('A', storeA);
    const b = join('B', storeB);
    await run(() => a.startSync());
    bus.clear();
    await run(() => b.startSync());
    expect(bus.describe()).toEqual([
      'B→all GET_CONTENT_HASHES',
      'A→B RESPONSE',
      'B→A GET_TABLE_DIFF',
      'A→B RESPONSE',
      'B→A GET_ROW_DIFF',
      'A→B RESPONSE',
      'B→A GET_CELL_DIFF',
      'A→B RESPONSE',
      'B→A GET_VALUE_DIFF',
      'A→B RESPONSE',
      'B→all CONTENT_HASHES',
      // B now holds all of A's tables, so A pulls only B's values.
      'A→B GET_VALUE_DIFF',
      'B→A RESPONSE',
    ]);
    expect(storeA.getMergeableContentHashes()).toEqual(storeB.getMergeableContentHashes());
    expect(storeB.getContent()).toEqual(storeA.getContent());
    expect(a.getSyncStatus().phase).toBe('synced');
    expect(b.getSyncStatus().phase).toBe('synced');
  });
});

describe('receiver gating (docs/protocol.md §5.5)', () => {
  const probe = () => {
    const received: {from: string; requestId: string | null; message: number; body: unknown}[] = [];
    const transport = bus.join('P');
    transport.registerReceive((from, requestId, message, body) =>
      received.push({from, requestId, message, body}),
    );
    return {received, send: transport.send};
  };

  test('a peer that is not syncing answers diff requests but not GetContentHashes', async () => {
    const store = createMergeableStore('s1');
    store.setCell('t1', 'r1', 'c1', 1);
    join('A', store);
    const {received, send} = probe();
    await run(() => {
      send('A', 'tx.0001', 1, '');
      send('A', 'tx.0004', 4, {});
      send('A', 'tx.0005', 5, {t1: {r1: 1}});
      send('A', 'tx.0006', 6, {t1: {r1: {c1: 1}}});
      send('A', 'tx.0007', 7, {});
    });
    expect(received.map(({requestId, message}) => [requestId, message])).toEqual([
      ['tx.0004', 0],
      ['tx.0005', 0],
      ['tx.0006', 0],
      ['tx.0007', 0],
    ]);
    expect(received[0].body).toEqual([[{t1: [{r1: [{c1: [1, expect.any(String)]}]}]}], {}]);
    expect(received[3].body).toEqual([{}]);
  });

  test('a peer that is not syncing ignores ContentHashes and ContentDiff', async () => {
    const store = createMergeableStore('s1');
    join('A', store);
    const {received, send} = probe();
    await run(() => {
      send(null, 'tx', 2, [1, 2]);
      send(null, 'ty', 3, [[{t1: [{r1: [{c1: [1, 'Nn1JUF-----7JQY8']}]}]}], [{}], 1]);
    });
    expect(received).toEqual([]);
    expect(store.getTables()).toEqual({});
  });

  test('auto-saving alone answers GetContentHashes; auto-loading alone takes ContentDiff', async () => {
    const saving = createMergeableStore('s1');
    const savingSynchronizer = join('A', saving);
    const loading = createMergeableStore('s2');
    const loadingSynchronizer = join('B', loading);
    await run(() => savingSynchronizer.startAutoSave());
    await run(() => loadingSynchronizer.startAutoLoad());
    const {received, send} = probe();
    await run(() => {
      send(null, 'tx.0001', 1, '');
      send(null, 'ty', 3, [[{t1: [{r1: [{c1: [1, 'Nn1JUF-----7JQY8']}]}]}], [{}], 1]);
    });
    expect(received.filter(({message}) => message === 0).map(({from}) => from)).toEqual(['A']);
    expect(loading.getTables()).toEqual({t1: {r1: {c1: 1}}});
    expect(saving.getTables()).toEqual({});
  });

  test('responses are accepted only from the addressed peer', async () => {
    const store = createMergeableStore('s1');
    const a = join('A', store);
    const {send} = probe();
    const impostor = bus.join('X');
    impostor.registerReceive(() => {});
    await run(() => a.startSync());
    bus.clear();
    // P announces; A pulls from P. X answers A's request first, with other content.
    const pulling = run(() => send(null, 'tx', 2, [5, 0]));
    await vi.advanceTimersByTimeAsync(0);
    const request = bus.log.find(({message}) => message === 4)!;
    expect(request.to).toBe('P');
    impostor.send('A', request.requestId, 0, [[{t9: [{r1: [{c1: [1, 'Nn1JUF-----7JQY8']}]}]}], {}]);
    await pulling;
    expect(store.getTables()).toEqual({});
  });
});

describe('initial content and stopping', () => {
  test('startSync(initialContent) applies defaults when no peer has content, without broadcasting them', async () => {
    const store = createMergeableStore('s1');
    const a = join('A', store);
    await run(() => a.startSync([{t1: {r1: {c1: 'default'}}}, {}]));
    expect(store.getTables()).toEqual({t1: {r1: {c1: 'default'}}});
    expect(bus.describe()).toEqual(['A→all GET_CONTENT_HASHES', 'A→all CONTENT_HASHES']);
    // Defaults carry empty HLCs: a peer's real data wins over them.
    const other = createMergeableStore('s2');
    other.setCell('t1', 'r1', 'c1', 'real');
    await run(() => join('B', other).startSync());
    expect(store.getCell('t1', 'r1', 'c1')).toBe('real');
  });

  test('a pull still running when sync stops is not applied', async () => {
    const store = createMergeableStore('s1');
    const a = join('A', store);
    await run(() => a.startSync());
    const peer = bus.join('P');
    const requests: {requestId: string | null; message: number}[] = [];
    peer.registerReceive((_from, requestId, message) => requests.push({requestId, message}));
    peer.send(null, 'tx', 2, [5, 0]);
    await vi.advanceTimersByTimeAsync(5);
    const getTableDiff = requests.find(({message}) => message === 4)!;
    a.stopSync();
    await run(() =>
      peer.send('A', getTableDiff.requestId, 0, [
        [{t1: [{r1: [{c1: [1, 'Nn1JUF-----7JQY8']}]}]}],
        {},
      ]),
    );
    expect(store.getTables()).toEqual({});
    expect(a.getSyncStatus().phase).toBe('idle');
  });
});
