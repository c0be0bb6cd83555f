// @vitest-environment happy-dom
// A remote merge re-renders exactly the components whose data changed: with 1,000 rows each
// rendered by a useRow component, a remote change to one cell renders one row component.
import {render, screen, waitFor} from '@testing-library/react';
import {afterEach, describe, expect, test} from 'vitest';
import {SynchronizerProvider, useRow, useRowIds} from '../../src/react/index.js';
import type {MergeableStore, Table} from '../../src/store/types.js';
import type {Synchronizer} from '../../src/synchronizers/types.js';
import {createLocalSynchronizer, createStore} from './support.js';

const ROW_COUNT = 1_000;

const rowRenders = new Map<string, number>();
let listRenders = 0;

function countRender(rowId: string) {
  rowRenders.set(rowId, (rowRenders.get(rowId) ?? 0) + 1);
}

function totalRowRenders(): number {
  return [...rowRenders.values()].reduce((total, count) => total + count, 0);
}

function Row({rowId}: {rowId: string}) {
  countRender(rowId);
  const {text, done} = useRow('todos', rowId);
  return (
    <li>
      {String(text)}
      {done ? ' ✓' : ''}
    </li>
  );
}

function List() {
  listRenders++;
  const rowIds = useRowIds('todos');
  return (
    <ul>
      {rowIds.map((rowId) => (
        <Row key={rowId} rowId={rowId} />
      ))}
    </ul>
  );
}

function manyTodos(): Table {
  const table: Table = {};
  for (let index = 0; index < ROW_COUNT; index++) {
    table[`r${index}`] = {text: `todo ${index}`, done: false};
  }
  return table;
}

describe('re-renders after a remote merge', () => {
  let remote: Synchronizer | undefined;
  afterEach(() => {
    remote?.destroy();
  });

  /** A remote peer (no React) holding 1,000 rows, and a synced provider rendering them. */
  async function renderSyncedList(): Promise<MergeableStore> {
    const remoteStore = createStore().setTable('todos', manyTodos());
    remote = createLocalSynchronizer(remoteStore);
    await remote.startSync();
    render(
      <SynchronizerProvider createStore={createStore} createSynchronizer={createLocalSynchronizer}>
        <List />
      </SynchronizerProvider>,
    );
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(ROW_COUNT));
    rowRenders.clear();
    listRenders = 0;
    return remoteStore;
  }

  test('one remote cell change renders exactly one row component', async () => {
    const remoteStore = await renderSyncedList();

    remoteStore.setCell('todos', 'r500', 'text', 'changed far away');
    await screen.findByText('changed far away');

    expect(totalRowRenders()).toBe(1);
    expect(rowRenders.get('r500')).toBe(1);
    expect(listRenders).toBe(0);
  });

  test('a merge touching several cells renders each affected row once', async () => {
    const remoteStore = await renderSyncedList();

    remoteStore.transaction(() => {
      remoteStore.setCell('todos', 'r1', 'text', 'one');
      remoteStore.setCell('todos', 'r1', 'done', true);
      remoteStore.setCell('todos', 'r2', 'done', true);
    });
    await screen.findByText('one ✓');
    await waitFor(() => expect(rowRenders.get('r2')).toBe(1));

    expect(rowRenders.get('r1')).toBe(1);
    expect(totalRowRenders()).toBe(2);
    expect(listRenders).toBe(0);
  });
});
