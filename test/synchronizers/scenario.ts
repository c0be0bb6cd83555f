// Random scenarios for property tests: edits of every kind (cells, rows, tables, values,
// deletions, object/array cells) and network events, as fast-check arbitraries.
import fc from 'fast-check';

type Cell = string | number | boolean | null | {[key: string]: unknown} | unknown[];
/** The store API the scenarios use, common to syncstore's and TinyBase's MergeableStore. */
export type EditableStore = {
  setCell(tableId: string, rowId: string, cellId: string, cell: Cell): unknown;
  delCell(tableId: string, rowId: string, cellId: string): unknown;
  setRow(tableId: string, rowId: string, row: {[cellId: string]: Cell}): unknown;
  delRow(tableId: string, rowId: string): unknown;
  delTable(tableId: string): unknown;
  setValue(valueId: string, value: Cell): unknown;
  delValue(valueId: string): unknown;
  transaction<Return>(actions: () => Return): Return;
};

export type EditCommand = {
  kind: 'edit';
  peer: number;
  action:
    | 'setCell'
    | 'delCell'
    | 'setRow'
    | 'delRow'
    | 'delTable'
    | 'setValue'
    | 'delValue'
    | 'batch';
  tableId: string;
  rowId: string;
  cellId: string;
  value: Cell;
};
export type Command =
  | EditCommand
  | {kind: 'wait'; ms: number}
  | {kind: 'partition'; mask: number}
  | {kind: 'heal'}
  | {kind: 'link'; peer: number; up: boolean};

const cellArbitrary: fc.Arbitrary<Cell> = fc.oneof(
  fc.integer({min: -5, max: 5}),
  fc.constantFrom('a', 'b', '', 'ü'),
  fc.boolean(),
  fc.constant(null),
  fc.double({min: -10, max: 10, noNaN: true}),
  fc.record({x: fc.integer({min: 0, max: 3})}),
  fc.array(fc.integer({min: 0, max: 3}), {maxLength: 2}),
);

/** The edits a schedule draws from, cell writes weighted three times (shared with test/sim). */
export const EDIT_ACTIONS: EditCommand['action'][] = [
  'setCell',
  'setCell',
  'setCell',
  'delCell',
  'setRow',
  'delRow',
  'delTable',
  'setValue',
  'delValue',
  'batch',
];

export const editArbitrary: fc.Arbitrary<EditCommand> = fc.record({
  kind: fc.constant('edit' as const),
  peer: fc.nat(4),
  action: fc.constantFrom(...EDIT_ACTIONS),
  tableId: fc.constantFrom('t1', 't2'),
  rowId: fc.constantFrom('r1', 'r2', 'r3'),
  cellId: fc.constantFrom('c1', 'c2'),
  value: cellArbitrary,
});

export const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  {weight: 6, arbitrary: editArbitrary},
  {
    weight: 4,
    arbitrary: fc.record({kind: fc.constant('wait' as const), ms: fc.integer({min: 0, max: 80})}),
  },
  {weight: 1, arbitrary: fc.record({kind: fc.constant('partition' as const), mask: fc.nat(31)})},
  {weight: 1, arbitrary: fc.record({kind: fc.constant('heal' as const)})},
  {
    weight: 1,
    arbitrary: fc.record({kind: fc.constant('link' as const), peer: fc.nat(4), up: fc.boolean()}),
  },
);

export function applyEdit(store: EditableStore, edit: EditCommand): void {
  const {tableId, rowId, cellId, value} = edit;
  switch (edit.action) {
    case 'setCell':
      store.setCell(tableId, rowId, cellId, value);
      return;
    case 'delCell':
      store.delCell(tableId, rowId, cellId);
      return;
    case 'setRow':
      store.setRow(tableId, rowId, {[cellId]: value, c3: 1});
      return;
    case 'delRow':
      store.delRow(tableId, rowId);
      return;
    case 'delTable':
      store.delTable(tableId);
      return;
    case 'setValue':
      store.setValue(cellId, value);
      return;
    case 'delValue':
      store.delValue(cellId);
      return;
    case 'batch':
      // Two transactions in one tick: coalesced into one ContentDiff by syncstore.
      store.setCell(tableId, rowId, cellId, value);
      store.transaction(() => {
        store.setValue('v9', 1);
        store.delCell(tableId, rowId, 'c2');
      });
      return;
  }
}

/** Splits peer ids in two partition groups by the bits of `mask`. */
export function splitByMask(peerIds: string[], mask: number): string[][] {
  const groups: string[][] = [[], []];
  for (const [index, peerId] of peerIds.entries()) {
    groups[(mask >> index) & 1].push(peerId);
  }
  return groups;
}
