// @vitest-environment happy-dom
// The view components render what TinyBase's ui-react views render for the same content and
// props (compared side by side), and update when the store changes.
import {act, render} from '@testing-library/react';
import type {ReactNode} from 'react';
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import * as tinybaseUi from 'tinybase/ui-react';
import {describe, expect, test} from 'vitest';
import * as syncstoreUi from '../../src/react/index.js';
import type {MergeableStore} from '../../src/store/types.js';
import {createStore} from './support.js';

type Ui = typeof syncstoreUi;

const tables = {
  pets: {
    fido: {species: 'dog', legs: 4, sold: false, owner: null},
    felix: {species: 'cat', legs: 4},
    tweety: {species: 'bird', legs: 2, color: 'yellow'},
  },
  owners: {alice: {name: 'Alice'}},
};
const values = {open: true, visitors: 3, motto: 'hi', closed: null};

/** The same tree, once with each library's views, each over its own store with the same content. */
function renderBoth(tree: (ui: Ui, store: MergeableStore) => ReactNode) {
  const ourStore = createStore().setTables(tables).setValues(values);
  const theirStore = createTinyBaseStore().setTables(tables).setValues(values);
  const ours = render(tree(syncstoreUi, ourStore)).container.innerHTML;
  const theirs = render(tree(tinybaseUi as unknown as Ui, theirStore as unknown as MergeableStore))
    .container.innerHTML;
  return {ours, theirs};
}

function Bold({tableId, rowId, store}: syncstoreUi.RowProps & {label?: string}) {
  return <b>{String(syncstoreUi.useCell(tableId, rowId, 'species', store))}</b>;
}

function Labelled({rowId, label}: syncstoreUi.RowProps & {label?: string}) {
  return <i>{`${label}:${rowId}`}</i>;
}

describe('views match TinyBase ui-react', () => {
  const cases: [string, (ui: Ui, store: MergeableStore) => ReactNode][] = [
    ['TablesView', (ui, store) => <ui.TablesView store={store} />],
    ['TablesView with debugIds', (ui, store) => <ui.TablesView store={store} debugIds />],
    [
      'TableView with separator',
      (ui, store) => <ui.TableView store={store} tableId="pets" separator="/" />,
    ],
    [
      'TableView with customCellIds and debugIds',
      (ui, store) => (
        <ui.TableView store={store} tableId="pets" customCellIds={['legs', 'color']} debugIds />
      ),
    ],
    [
      'SortedTableView',
      (ui, store) => (
        <ui.SortedTableView
          store={store}
          tableId="pets"
          cellId="species"
          descending
          offset={1}
          limit={2}
          separator={<hr />}
        />
      ),
    ],
    [
      'TableView with a row component',
      (ui, store) => <ui.TableView store={store} tableId="pets" rowComponent={Bold} />,
    ],
    [
      'RowView with separator and debugIds',
      (ui, store) => (
        <ui.RowView store={store} tableId="pets" rowId="tweety" separator=", " debugIds />
      ),
    ],
    [
      'CellView of a missing cell',
      (ui, store) => <ui.CellView store={store} tableId="pets" rowId="fido" cellId="nope" />,
    ],
    [
      'CellView of false',
      (ui, store) => <ui.CellView store={store} tableId="pets" rowId="fido" cellId="sold" />,
    ],
    [
      'CellView of null (shows nothing)',
      (ui, store) => <ui.CellView store={store} tableId="pets" rowId="fido" cellId="owner" />,
    ],
    [
      'ValueView of null (shows nothing)',
      (ui, store) => <ui.ValueView store={store} valueId="closed" />,
    ],
    ['ValuesView', (ui, store) => <ui.ValuesView store={store} separator="|" debugIds />],
    ['ValueView', (ui, store) => <ui.ValueView store={store} valueId="visitors" debugIds />],
  ];

  test.each(cases)('%s', (_, tree) => {
    const {ours, theirs} = renderBoth(tree);
    expect(ours).toBe(theirs);
  });
});

describe('views update', () => {
  test('a TableView follows rows being added, changed and removed', () => {
    const store = createStore().setTables(tables);
    const {container} = render(
      <syncstoreUi.TableView store={store} tableId="pets" separator="," />,
    );
    expect(container.textContent).toBe('dog4false,cat4,bird2yellow');
    act(() => {
      store.delRow('pets', 'felix');
      store.setCell('pets', 'fido', 'legs', 3);
      store.setRow('pets', 'nemo', {species: 'fish'});
    });
    expect(container.textContent).toBe('dog3false,bird2yellow,fish');
  });

  test('getRowComponentProps passes extra props to each row', () => {
    const store = createStore().setTables(tables);
    const {container} = render(
      <syncstoreUi.TableView
        store={store}
        tableId="pets"
        rowComponent={Labelled as (props: syncstoreUi.RowProps) => ReactNode}
        getRowComponentProps={(rowId) => ({label: rowId.toUpperCase()})}
      />,
    );
    expect(container.textContent).toBe('FIDO:fidoFELIX:felixTWEETY:tweety');
  });
});
