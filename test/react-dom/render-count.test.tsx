// @vitest-environment happy-dom
// The HTML tables re-render what changed and no more: a changed cell re-renders its own cell
// component, not the other rows' cells; a new row renders its cells and leaves the others alone.
import {act, cleanup, render} from '@testing-library/react';
import {afterEach, describe, expect, test} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import {type CellProps, Provider, useCell} from '../../src/react/index.js';
import {SortedTableInHtmlTable, TableInHtmlTable} from '../../src/react-dom/index.js';

afterEach(() => {
  cleanup();
});

let renders: {[rowAndCell: string]: number} = {};

/** A cell that counts its renders. */
function CountingCell({tableId, rowId, cellId, store}: CellProps) {
  const key = `${rowId}.${cellId}`;
  renders[key] = (renders[key] ?? 0) + 1;
  return String(useCell(tableId, rowId, cellId, store) ?? '');
}

function setUp() {
  renders = {};
  const store = createMergeableStore().setTable('pets', {
    fido: {species: 'dog', legs: 4},
    felix: {species: 'cat', legs: 4},
  });
  const customCells = {species: {component: CountingCell}, legs: {component: CountingCell}};
  return {renders, store, customCells};
}

describe.each([
  ['TableInHtmlTable', TableInHtmlTable],
  ['SortedTableInHtmlTable', SortedTableInHtmlTable],
])('%s', (_name, Table) => {
  test('a changed cell re-renders only its own cell', () => {
    const {renders, store, customCells} = setUp();
    const {container} = render(
      <Provider store={store}>
        <Table tableId="pets" customCells={customCells} />
      </Provider>,
    );
    expect(renders).toEqual({
      'fido.species': 1,
      'fido.legs': 1,
      'felix.species': 1,
      'felix.legs': 1,
    });
    act(() => {
      store.setCell('pets', 'fido', 'legs', 3);
    });
    expect(container.innerHTML).toContain('<td>3</td>');
    expect(renders).toEqual({
      'fido.species': 1,
      'fido.legs': 2,
      'felix.species': 1,
      'felix.legs': 1,
    });
  });
});

test('TableInHtmlTable: a new row renders its cells only', () => {
  const {renders, store, customCells} = setUp();
  render(
    <Provider store={store}>
      <TableInHtmlTable tableId="pets" customCells={customCells} />
    </Provider>,
  );
  act(() => {
    store.setRow('pets', 'rex', {species: 'dog'});
  });
  // The table re-renders for the new row id; rows whose props did not change are not re-rendered.
  expect(renders['rex.species']).toBe(1);
  expect(renders['fido.species']).toBe(1);
});
