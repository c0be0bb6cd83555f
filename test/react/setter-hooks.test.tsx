// @vitest-environment happy-dom
// Every set…, add… and del… callback hook, with and without each optional argument (the store or
// its id, `then`, `thenDeps`, addRow's `reuseRowIds`), run side by side with TinyBase's ui-react
// against equal stores: both must leave the same content and call `then` with the same arguments,
// and that content must be the one written down here.
import {act, renderHook} from '@testing-library/react';
import type {ReactNode} from 'react';
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import * as tinybaseUi from 'tinybase/ui-react';
import {describe, expect, test} from 'vitest';
import * as syncstoreUi from '../../src/react/index.js';
import type {Content, MergeableStore} from '../../src/store/types.js';
import {createStore} from './support.js';

type Ui = typeof syncstoreUi;
type Library = {name: string; ui: Ui; createStore: () => MergeableStore};

const LIBRARIES: Library[] = [
  {name: 'syncstore', ui: syncstoreUi, createStore: () => createStore()},
  {
    name: 'tinybase',
    ui: tinybaseUi as unknown as Ui,
    createStore: () => createTinyBaseStore() as unknown as MergeableStore,
  },
];

const INITIAL: Content = [
  {pets: {fido: {species: 'dog', legs: 4}, felix: {species: 'cat'}}},
  {open: true, visitors: 3},
];
const [INITIAL_TABLES, INITIAL_VALUES] = INITIAL;

const addLeg = (legs: unknown) => Number(legs) + 1;

type HookName = {
  [Name in keyof Ui]: Name extends `use${'Set' | 'Add' | 'Del'}${string}Callback` ? Name : never;
}[keyof Ui];

type SetterCase = {
  hook: HookName;
  /** The arguments before `storeOrStoreId`. */
  leading: unknown[];
  /** What the returned callback is called with. */
  parameter?: unknown;
  /** The content after the call. */
  expected: Content;
  /** The arguments `then` receives, with the store as 'STORE'. */
  thenArgs: unknown[];
};

const CASES: SetterCase[] = [
  {
    hook: 'useSetTablesCallback',
    leading: [(cell: string) => ({t: {r: {c: cell}}}), []],
    parameter: 'x',
    expected: [{t: {r: {c: 'x'}}}, INITIAL_VALUES],
    thenArgs: ['STORE', {t: {r: {c: 'x'}}}],
  },
  {
    hook: 'useSetTableCallback',
    leading: ['pets', (species: string) => ({rex: {species}}), []],
    parameter: 'wolf',
    expected: [{pets: {rex: {species: 'wolf'}}}, INITIAL_VALUES],
    thenArgs: ['STORE', {rex: {species: 'wolf'}}],
  },
  {
    hook: 'useSetRowCallback',
    // The row id comes from the parameter (a GetId), the row from a getter.
    leading: ['pets', (rowId: string) => rowId, () => ({species: 'bird'}), []],
    parameter: 'tweety',
    expected: [{pets: {...INITIAL_TABLES.pets, tweety: {species: 'bird'}}}, INITIAL_VALUES],
    thenArgs: ['STORE', {species: 'bird'}],
  },
  {
    hook: 'useAddRowCallback',
    leading: ['pets', (species: string) => ({species}), []],
    parameter: 'fish',
    expected: [{pets: {...INITIAL_TABLES.pets, 0: {species: 'fish'}}}, INITIAL_VALUES],
    thenArgs: ['0', 'STORE', {species: 'fish'}],
  },
  {
    hook: 'useSetPartialRowCallback',
    leading: ['pets', 'fido', (legs: number) => ({legs, sold: true}), []],
    parameter: 3,
    expected: [
      {pets: {fido: {species: 'dog', legs: 3, sold: true}, felix: {species: 'cat'}}},
      INITIAL_VALUES,
    ],
    thenArgs: ['STORE', {legs: 3, sold: true}],
  },
  {
    hook: 'useSetCellCallback',
    leading: ['pets', 'felix', 'legs', (legs: number) => legs, []],
    parameter: 4,
    expected: [{pets: {...INITIAL_TABLES.pets, felix: {species: 'cat', legs: 4}}}, INITIAL_VALUES],
    thenArgs: ['STORE', 4],
  },
  {
    hook: 'useSetCellCallback',
    // A MapCell: the new cell is computed from the current one.
    leading: ['pets', 'fido', 'legs', () => addLeg, []],
    expected: [{pets: {...INITIAL_TABLES.pets, fido: {species: 'dog', legs: 5}}}, INITIAL_VALUES],
    thenArgs: ['STORE', addLeg],
  },
  {
    hook: 'useSetCellCallback',
    // A getter that returns undefined writes nothing and calls no `then`.
    leading: ['pets', 'fido', 'legs', () => undefined, []],
    expected: INITIAL,
    thenArgs: [],
  },
  {
    hook: 'useSetValuesCallback',
    leading: [(motto: string) => ({motto}), []],
    parameter: 'hi',
    expected: [INITIAL_TABLES, {motto: 'hi'}],
    thenArgs: ['STORE', {motto: 'hi'}],
  },
  {
    hook: 'useSetPartialValuesCallback',
    leading: [(visitors: number) => ({visitors}), []],
    parameter: 7,
    expected: [INITIAL_TABLES, {open: true, visitors: 7}],
    thenArgs: ['STORE', {visitors: 7}],
  },
  {
    hook: 'useSetValueCallback',
    leading: ['open', (open: boolean) => open, []],
    parameter: false,
    expected: [INITIAL_TABLES, {open: false, visitors: 3}],
    thenArgs: ['STORE', false],
  },
  {
    hook: 'useDelTablesCallback',
    leading: [],
    expected: [{}, INITIAL_VALUES],
    thenArgs: ['STORE'],
  },
  {
    hook: 'useDelTableCallback',
    leading: ['pets'],
    expected: [{}, INITIAL_VALUES],
    thenArgs: ['STORE'],
  },
  {
    hook: 'useDelRowCallback',
    leading: ['pets', (rowId: string) => rowId],
    parameter: 'felix',
    expected: [{pets: {fido: {species: 'dog', legs: 4}}}, INITIAL_VALUES],
    thenArgs: ['STORE'],
  },
  {
    hook: 'useDelCellCallback',
    leading: ['pets', 'fido', 'legs', undefined],
    expected: [{pets: {fido: {species: 'dog'}, felix: {species: 'cat'}}}, INITIAL_VALUES],
    thenArgs: ['STORE'],
  },
  {
    hook: 'useDelValuesCallback',
    leading: [],
    expected: [INITIAL_TABLES, {}],
    thenArgs: ['STORE'],
  },
  {
    hook: 'useDelValueCallback',
    leading: ['open'],
    expected: [INITIAL_TABLES, {visitors: 3}],
    thenArgs: ['STORE'],
  },
];

/** How the hook is told which store to use: not at all (the default), by object, or by id. */
type StoreMode = 'default' | 'object' | 'id';
/** Whether `then` is given, and with which `thenDeps`. */
type ThenMode = 'none' | 'then' | 'then and thenDeps';

const STORE_MODES: StoreMode[] = ['default', 'object', 'id'];
const THEN_MODES: ThenMode[] = ['none', 'then', 'then and thenDeps'];

/** Drops trailing undefined arguments, so that an omitted option is really omitted. */
function trimTrailingUndefined(args: unknown[]): unknown[] {
  let length = args.length;
  while (length > 0 && args[length - 1] === undefined) {
    length--;
  }
  return args.slice(0, length);
}

/**
 * Renders the case's hook, calls its callback once after a re-render with a new `dep` (which only
 * `thenDeps` lists), and reports the content, `then`'s calls (each tagged with the `dep` its
 * closure saw) and whether the callback kept its identity across re-renders.
 */
function run(
  {ui, createStore}: Library,
  {hook, leading, parameter}: SetterCase,
  storeMode: StoreMode,
  thenMode: ThenMode,
) {
  const store = createStore().setContent(INITIAL);
  const wrapper = ({children}: {children: ReactNode}) => (
    <ui.Provider store={store} storesById={{named: store}}>
      {children}
    </ui.Provider>
  );
  const thenCalls: unknown[][] = [];
  const storeArgument = {default: undefined, object: store, id: 'named'}[storeMode];
  const {result, rerender} = renderHook(
    ({dep}: {dep: number}) => {
      const then =
        thenMode === 'none'
          ? undefined
          : (...args: unknown[]) =>
              thenCalls.push([dep, ...args.map((arg) => (arg === store ? 'STORE' : arg))]);
      const thenDeps = thenMode === 'then and thenDeps' ? [dep] : undefined;
      const args = trimTrailingUndefined([...leading, storeArgument, then, thenDeps]);
      return (ui[hook] as (...args: unknown[]) => (parameter?: unknown) => void)(...args);
    },
    {wrapper, initialProps: {dep: 1}},
  );
  const first = result.current;
  rerender({dep: 1});
  const sameAfterEqualDeps = result.current === first;
  rerender({dep: 2});
  const sameAfterNewDep = result.current === first;
  act(() => result.current(parameter));
  return {
    content: store.getContent(),
    thenCalls,
    sameAfterEqualDeps,
    sameAfterNewDep,
  };
}

describe.each(CASES.map((setterCase) => [setterCase.hook, setterCase] as const))(
  '%s',
  (_, setterCase) => {
    test.each(
      STORE_MODES.flatMap((storeMode) =>
        THEN_MODES.map((thenMode) => [storeMode, thenMode] as const),
      ),
    )('store %s, %s: writes as TinyBase does', (storeMode, thenMode) => {
      const [ours, theirs] = LIBRARIES.map((library) =>
        run(library, setterCase, storeMode, thenMode),
      );
      expect(ours).toEqual(theirs);

      expect(ours.content).toEqual(setterCase.expected);
      expect(ours.sameAfterEqualDeps).toBe(true);
      if (thenMode === 'none') {
        expect(ours.thenCalls).toEqual([]);
        expect(ours.sameAfterNewDep).toBe(true);
      } else if (setterCase.thenArgs.length === 0) {
        expect(ours.thenCalls).toEqual([]);
      } else {
        // Without thenDeps the callback keeps the first `then` (it saw dep 1); with them, a new
        // callback with the new `then` (dep 2).
        const dep = thenMode === 'then' ? 1 : 2;
        expect(ours.thenCalls).toEqual([[dep, ...setterCase.thenArgs]]);
        expect(ours.sameAfterNewDep).toBe(thenMode === 'then');
      }
    });
  },
);

describe('useAddRowCallback reuseRowIds', () => {
  /** Adds three rows, deletes the first, then adds one more with the given reuseRowIds. */
  function addAfterDelete({ui, createStore}: Library, reuseRowIds: boolean | undefined) {
    const store = createStore();
    const addedIds: unknown[] = [];
    const {result} = renderHook(() =>
      ui.useAddRowCallback(
        'pets',
        (species: string) => ({species}),
        [],
        store,
        (rowId) => addedIds.push(rowId),
        [],
        ...(reuseRowIds === undefined ? [] : [reuseRowIds]),
      ),
    );
    act(() => {
      result.current('dog');
      result.current('cat');
      result.current('bird');
    });
    store.delRow('pets', '0');
    act(() => result.current('fish'));
    return {addedIds, table: store.getTable('pets')};
  }

  test.each([
    [undefined, '0'],
    [true, '0'],
    [false, '3'],
  ])('reuseRowIds %s: the new row gets id %s, as in TinyBase', (reuseRowIds, newRowId) => {
    const [ours, theirs] = LIBRARIES.map((library) => addAfterDelete(library, reuseRowIds));
    expect(ours).toEqual(theirs);
    expect(ours.addedIds).toEqual(['0', '1', '2', newRowId]);
    expect(ours.table[newRowId]).toEqual({species: 'fish'});
  });
});

describe('with no store', () => {
  test.each(CASES.map((setterCase) => [setterCase.hook, setterCase] as const))(
    '%s does nothing and calls no then',
    (_, {hook, leading, parameter}) => {
      const thenCalls: unknown[] = [];
      const {result} = renderHook(() =>
        (LIBRARIES[0].ui[hook] as (...args: unknown[]) => (parameter?: unknown) => void)(
          ...leading,
          'unknown-store-id',
          () => thenCalls.push('then'),
        ),
      );
      expect(() => act(() => result.current(parameter))).not.toThrow();
      expect(thenCalls).toEqual([]);
    },
  );
});
