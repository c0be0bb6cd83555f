// A transaction that fails (a listener throws, or doRollback says so) must leave the store as it
// was: plain content, stamps, container HLCs and hashes alike. Each case runs the same history on
// two syncstore stores, makes the operation fail on one of them and compares it with the other,
// so that hashes still waiting to be folded are compared too; the plain content is also compared
// with a TinyBase store that went through the same.
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import type {MergeableChanges, MergeableContent, MergeableStore} from '../../src/store/types.js';
import {operation} from './support/arbitraries.js';
import {expectEquivalent, expectSame} from './support/compare.js';
import {applyOperation} from './support/operations.js';
import {
  applyToTinyBase,
  createStore,
  createTinyBaseStore,
  setContentOfTinyBase,
} from './support/stores.js';
import {hlcOf, ManualClock, START_TIME} from './support/wire.js';

const T = START_TIME;
const peerHlc = (offset: number) => hlcOf(T + offset, 0, 'peer');

/** Ways to make a transaction fail; each returns a function that undoes the setup. */
const failures = {
  'a will-finish listener throws': (store: MergeableStore) => {
    const id = store.addWillFinishTransactionListener(() => {
      throw new Error('will-finish');
    });
    return () => store.delListener(id);
  },
  'a mutator listener reads the hashes, then throws': (store: MergeableStore) => {
    const fail = () => {
      store.getMergeableContent(); // folds hashes in the middle of the transaction
      throw new Error('mutator');
    };
    const ids = [
      store.addCellListener(null, null, null, fail, true),
      store.addValueListener(null, fail, true),
      store.addWillFinishTransactionListener(() => {
        throw new Error('will-finish');
      }),
    ];
    return () => {
      for (const id of ids) {
        store.delListener(id);
      }
    };
  },
} as const;
type Failure = keyof typeof failures;

/** What the failing operation does to the store. */
type Attempt =
  | {kind: 'apply'; changes: MergeableChanges<boolean> | MergeableContent}
  | {kind: 'setContent'; content: MergeableContent}
  | {kind: 'local'; operations: Parameters<typeof applyOperation>[2][]};

const attempt = (store: MergeableStore, clock: ManualClock, what: Attempt, tinyBase: boolean) => {
  switch (what.kind) {
    case 'apply':
      return tinyBase
        ? applyToTinyBase(store, what.changes)
        : store.applyMergeableChanges(what.changes);
    case 'setContent':
      return tinyBase
        ? setContentOfTinyBase(store, what.content)
        : store.setMergeableContent(what.content);
    case 'local':
      return store.transaction(() => {
        for (const inner of what.operations) {
          applyOperation(store, clock, inner);
        }
      });
  }
};

/** Asserts that a failed attempt leaves the store as its twin, which never tried. */
const expectFailureLeavesNoTrace = (
  history: (store: MergeableStore, tinyBase: boolean) => void,
  what: Attempt,
  failure: Failure,
): void => {
  const clock = new ManualClock();
  const store = createStore('me', clock.getNow);
  const twin = createStore('me', clock.getNow);
  const tinyBaseStore = createTinyBaseStore('me', clock.getNow);
  history(store, false);
  history(twin, false);
  history(tinyBaseStore, true);
  const tinyBaseBefore = tinyBaseStore.getContent();
  expectSame(store.getContent(), tinyBaseBefore, 'history gives the same content');

  failures[failure](store);
  failures[failure](tinyBaseStore);
  expect(() => attempt(store, clock, what, false)).toThrow();
  // TinyBase's wire path swallows nothing either, but its content must be unchanged too.
  try {
    attempt(tinyBaseStore, clock, what, true);
  } catch {
    // expected
  }
  expectSame(store.getMergeableContent(), twin.getMergeableContent(), 'mergeable content');
  expect(store.getMergeableContentHashes()).toEqual(twin.getMergeableContentHashes());
  // A rollback lists restored ids last in the plain content, as TinyBase does, so only the
  // entries are compared with the twin; the order is compared with TinyBase's.
  expectEquivalent(store.getContent(), twin.getContent(), 'content');
  // TinyBase cannot write an object or array cell back when it rolls back (it drops it), so its
  // content is only a reference when there is none.
  if (!hasObjectLeaf(tinyBaseBefore)) {
    expectEquivalent(tinyBaseStore.getContent(), tinyBaseBefore, 'TinyBase content is unchanged');
    expectSame(store.getContent(), tinyBaseStore.getContent(), 'content as TinyBase');
  }
};

const hasObjectLeaf = ([tables, values]: [object, object]): boolean =>
  [...Object.values(tables).flatMap((table) => Object.values(table)), values].some((leaves) =>
    Object.values(leaves as object).some((leaf) => typeof leaf === 'object' && leaf !== null),
  );

const noHistory = () => {};
/** A store that got an empty row from a peer, then a cell elsewhere in the same table. */
const emptyRowHistory = (store: MergeableStore, tinyBase: boolean) => {
  const changes: MergeableChanges = [
    [{t: [{empty: [{}], r: [{c: ['x', peerHlc(1)]}]}]}],
    [{v: [1, peerHlc(2)]}],
    1,
  ];
  if (tinyBase) {
    applyToTinyBase(store, changes);
  } else {
    store.applyMergeableChanges(changes);
  }
};

const cases: [string, (store: MergeableStore, tinyBase: boolean) => void, Attempt][] = [
  [
    'changes with container HLCs into an empty store',
    noHistory,
    {
      kind: 'apply',
      changes: [[{t: [{r: [{c: [1, peerHlc(5)]}, peerHlc(4)]}, peerHlc(3)]}, peerHlc(2)], [{}], 1],
    },
  ],
  [
    'a cell and a value stamped by a peer into an empty store',
    noHistory,
    {kind: 'apply', changes: [[{t: [{r: [{c: [1, peerHlc(5)]}]}]}], [{v: [2, peerHlc(6)]}], 1]},
  ],
  [
    'a cell into an empty row that came from a peer',
    emptyRowHistory,
    {kind: 'apply', changes: [[{t: [{empty: [{c: [1, peerHlc(9)]}]}]}], [{}], 1]},
  ],
  [
    'values with a container HLC over existing values',
    emptyRowHistory,
    {kind: 'apply', changes: [[{}], [{v: [3, peerHlc(9)], w: [4, peerHlc(9)]}, peerHlc(8)], 1]},
  ],
  [
    'setMergeableContent over content with an empty row',
    emptyRowHistory,
    {
      kind: 'setContent',
      content: [
        [
          {
            u: [{r: [{c: ['new', peerHlc(20), 0]}, '', 0]}, '', 0],
          },
          '',
          0,
        ],
        [{}, '', 0],
      ],
    },
  ],
  [
    'local writes that create and delete tables and rows',
    emptyRowHistory,
    {
      kind: 'local',
      operations: [
        {kind: 'setCell', tableId: 'new', rowId: 'r', cellId: 'c', cell: 1},
        {kind: 'delRow', tableId: 't', rowId: 'r'},
        {kind: 'setCell', tableId: 't', rowId: 'empty', cellId: 'c', cell: 2},
        {kind: 'setValue', valueId: 'v', value: 'changed'},
      ],
    },
  ],
  [
    // Each leaf goes back to what it held before its first write, not before its last.
    'local writes to the same cell and value more than once',
    emptyRowHistory,
    {
      kind: 'local',
      operations: [
        {kind: 'setCell', tableId: 't', rowId: 'r', cellId: 'c', cell: 'first'},
        {kind: 'setValue', valueId: 'v', value: 'first'},
        {kind: 'setCell', tableId: 't', rowId: 'r', cellId: 'c', cell: 'second'},
        {kind: 'setValue', valueId: 'v', value: 'second'},
      ],
    },
  ],
];

describe('a failed transaction leaves content, stamps and hashes as they were', () => {
  for (const failure of Object.keys(failures) as Failure[]) {
    test.each(cases)(`%s, when ${failure}`, (_name, history, what) => {
      // setMergeableContent's hashes must be right for TinyBase; syncstore trusts them either way
      expectFailureLeavesNoTrace(history, what, failure);
    });
  }

  test('random histories and random failed merges, loads and local transactions', () => {
    const history = fc.array(operation, {maxLength: 12});
    fc.assert(
      fc.property(
        history,
        history,
        fc.array(operation, {minLength: 1, maxLength: 4}),
        fc.constantFrom('apply', 'setContent', 'local'),
        fc.constantFrom(...(Object.keys(failures) as Failure[])),
        (mine, peers, local, kind, failure) => {
          const peerClock = new ManualClock(T - 1000);
          const peer = createStore('peer', peerClock.getNow);
          for (const step of peers) {
            applyOperation(peer, peerClock, step);
          }
          const content = peer.getMergeableContent();
          // Half of each history is merged from the peer, so that peer stamps are in the store.
          const run = (store: MergeableStore, tinyBase: boolean) => {
            const clock = new ManualClock();
            mine.forEach((step, index) => {
              applyOperation(store, clock, step);
              if (index === 3) {
                const partial = peer.getMergeableTableDiff({})[0];
                const changes: MergeableChanges = [partial, [{}], 1];
                if (tinyBase) {
                  applyToTinyBase(store, changes);
                } else {
                  store.applyMergeableChanges(changes);
                }
              }
            });
          };
          const what: Attempt =
            kind === 'apply'
              ? {kind, changes: content}
              : kind === 'setContent'
                ? {kind, content}
                : {kind, operations: local};
          const changesSomething = (() => {
            const probe = createStore('me', new ManualClock().getNow);
            run(probe, false);
            const before = JSON.stringify(probe.getMergeableContent());
            attempt(probe, new ManualClock(), what, false);
            return JSON.stringify(probe.getMergeableContent()) !== before;
          })();
          fc.pre(changesSomething); // a no-op calls no mutator, so nothing fails
          expectFailureLeavesNoTrace(run, what, failure);
        },
      ),
      {seed: 20261202, numRuns: 150},
    );
  });
});
