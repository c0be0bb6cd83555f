// @vitest-environment happy-dom
// Server rendering: renderToString of a provider tree renders the store's content, runs no
// effects (no synchronizer is created), and the markup hydrates without a mismatch.
import {act} from '@testing-library/react';
import {hydrateRoot} from 'react-dom/client';
import {renderToString} from 'react-dom/server';
import {describe, expect, test, vi} from 'vitest';
import {
  SynchronizerProvider,
  SyncStatusView,
  TableView,
  useRowCount,
  useValue,
} from '../../src/react/index.js';
import type {MergeableStore} from '../../src/store/types.js';
import {createLocalSynchronizer, createStore} from './support.js';

function Page() {
  const title = useValue('title');
  const count = useRowCount('todos');
  return (
    <main>
      <h1>{String(title)}</h1>
      <p>{count} todos</p>
      <TableView tableId="todos" separator=", " />
      <SyncStatusView />
    </main>
  );
}

function Titles() {
  return (
    <>
      {String(useValue('title'))}/{String(useValue('title', 'settings'))}
    </>
  );
}

function storeWithContent(create: () => MergeableStore = createStore): MergeableStore {
  return create()
    .setValue('title', 'Groceries')
    .setTable('todos', {t1: {text: 'milk'}, t2: {text: 'eggs'}});
}

describe('renderToString', () => {
  test('renders the content of a provider-created store and creates no synchronizer', () => {
    const createSynchronizer = vi.fn(createLocalSynchronizer);
    const html = renderToString(
      <SynchronizerProvider createStore={storeWithContent} createSynchronizer={createSynchronizer}>
        <Page />
      </SynchronizerProvider>,
    );
    expect(html).toContain('<h1>Groceries</h1>');
    expect(html).toContain('2<!-- --> todos');
    expect(html).toContain('milk<!-- -->, <!-- -->eggs');
    expect(html).toContain('data-connection="offline"');
    expect(createSynchronizer).not.toHaveBeenCalled();
  });

  test('renders nested providers with ids', () => {
    const settings = createStore().setValue('title', 'Settings');
    const html = renderToString(
      <SynchronizerProvider createStore={storeWithContent}>
        <SynchronizerProvider store={settings} id="settings">
          <Titles />
        </SynchronizerProvider>
      </SynchronizerProvider>,
    );
    expect(html).toBe('Groceries<!-- -->/<!-- -->Settings');
  });

  test('the server markup hydrates without a mismatch, then follows the store', async () => {
    const tree = (store: MergeableStore) => (
      <SynchronizerProvider store={store}>
        <Page />
      </SynchronizerProvider>
    );
    const container = document.createElement('div');
    container.innerHTML = renderToString(tree(storeWithContent()));
    document.body.append(container);

    const onRecoverableError = vi.fn();
    const clientStore = storeWithContent();
    const root = await act(async () =>
      hydrateRoot(container, tree(clientStore), {onRecoverableError}),
    );
    expect(onRecoverableError).not.toHaveBeenCalled();
    expect(container.querySelector('h1')?.textContent).toBe('Groceries');

    act(() => {
      clientStore.setCell('todos', 't3', 'text', 'bread');
    });
    expect(container.textContent).toContain('milk, eggs, bread');
    act(() => root.unmount());
    container.remove();
  });
});
