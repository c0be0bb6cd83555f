// @vitest-environment happy-dom
// SynchronizerProvider: two synced providers, the lifecycle of the synchronizer it owns (also
// under StrictMode and when replaced), app-owned objects, nesting and ids.
import {act, render, screen, waitFor, within} from '@testing-library/react';
import {StrictMode} from 'react';
import {describe, expect, test, vi} from 'vitest';
import {
  SynchronizerProvider,
  useCell,
  useCreateSynchronizer,
  useSetCellCallback,
  useStore,
  useSynchronizer,
  useValue,
} from '../../src/react/index.js';
import type {MergeableStore} from '../../src/store/types.js';
import type {Synchronizer} from '../../src/synchronizers/types.js';
import {
  createLocalSynchronizer,
  createStore,
  instrument,
  totalListeners,
  trackSynchronizers,
} from './support.js';

function Pane({testId}: {testId: string}) {
  const text = useCell('todos', 't1', 'text');
  const rename = useSetCellCallback('todos', 't1', 'text', (text: string) => text);
  return (
    <div data-testid={testId}>
      <span>{text === undefined ? '(none)' : String(text)}</span>
      <button type="button" onClick={() => rename(`edited in ${testId}`)}>
        edit
      </button>
    </div>
  );
}

function SynchronizerProbe({onRender}: {onRender: (synchronizer?: Synchronizer) => void}) {
  onRender(useSynchronizer());
  return null;
}

function CreateSynchronizerProbe({
  store,
  create,
  destroy,
  onRender,
}: {
  store: MergeableStore;
  create: (store: MergeableStore) => Synchronizer;
  destroy: (synchronizer: Synchronizer) => void;
  onRender: (synchronizer?: Synchronizer) => void;
}) {
  onRender(useCreateSynchronizer(store, create, [], destroy));
  return null;
}

function NestedNamesProbe({onRender}: {onRender: (seen: unknown[]) => void}) {
  onRender([
    useValue('name'),
    useValue('name', 'outer'),
    useValue('name', 'settings'),
    useStore('settings'),
  ]);
  return null;
}

function DocNamesProbe({onRender}: {onRender: (seen: unknown[]) => void}) {
  onRender([useValue('name'), useValue('name', 'doc')]);
  return null;
}

/** Resolves once the tracked factory has created `count` synchronizers. */
async function synchronizersCreated(tracked: ReturnType<typeof trackSynchronizers>, count = 1) {
  await waitFor(() => expect(tracked.created()).toHaveLength(count));
}

describe('SynchronizerProvider', () => {
  test('an edit in one provider shows in another joined by local synchronizers', async () => {
    render(
      <>
        <SynchronizerProvider
          createStore={createStore}
          createSynchronizer={createLocalSynchronizer}
          initialContent={[{todos: {t1: {text: 'first'}}}, {}]}
        >
          <Pane testId="left" />
        </SynchronizerProvider>
        <SynchronizerProvider
          createStore={createStore}
          createSynchronizer={createLocalSynchronizer}
        >
          <Pane testId="right" />
        </SynchronizerProvider>
      </>,
    );
    const left = within(screen.getByTestId('left'));
    const right = within(screen.getByTestId('right'));
    await right.findByText('first');

    act(() => right.getByRole('button').click());
    await left.findByText('edited in right');
    act(() => left.getByRole('button').click());
    await right.findByText('edited in left');
  });

  test('renders children at once with the store, before any synchronizer exists', () => {
    const store = createStore().setCell('todos', 't1', 'text', 'local');
    render(
      <SynchronizerProvider store={store} createSynchronizer={createLocalSynchronizer}>
        <Pane testId="pane" />
      </SynchronizerProvider>,
    );
    expect(screen.getByText('local')).toBeTruthy();
  });

  test('starts syncing the synchronizer it creates, with the initial content', async () => {
    const tracked = trackSynchronizers(createLocalSynchronizer);
    let synchronizer: Synchronizer | undefined;
    render(
      <SynchronizerProvider
        createStore={createStore}
        createSynchronizer={tracked.factory}
        initialContent={() => [{todos: {t1: {text: 'from initial content'}}}, {}]}
      >
        <SynchronizerProbe onRender={(seen) => (synchronizer = seen)} />
        <Pane testId="pane" />
      </SynchronizerProvider>,
    );
    await screen.findByText('from initial content');
    expect(synchronizer).toBe(tracked.created()[0]);
    expect(synchronizer!.isAutoLoading()).toBe(true);
    expect(synchronizer!.isAutoSaving()).toBe(true);
  });

  test('under StrictMode creates one synchronizer, and none is live after unmount', async () => {
    const tracked = trackSynchronizers(createLocalSynchronizer);
    const store = createStore();
    const {unmount} = render(
      <StrictMode>
        <SynchronizerProvider store={store} createSynchronizer={tracked.factory}>
          <Pane testId="pane" />
        </SynchronizerProvider>
      </StrictMode>,
    );
    await synchronizersCreated(tracked);
    await waitFor(() => expect(tracked.created()[0].isAutoSaving()).toBe(true));
    expect(tracked.live()).toHaveLength(1);
    expect(totalListeners(store)).toBeGreaterThan(0);

    unmount();
    expect(tracked.live()).toHaveLength(0);
    expect(tracked.created()).toHaveLength(1);
    expect(totalListeners(store)).toBe(0);
  });

  test('under StrictMode an owned store also ends with no listeners', async () => {
    const tracked = trackSynchronizers(createLocalSynchronizer);
    const stores: MergeableStore[] = [];
    const createTrackedStore = () => {
      const store = createStore();
      stores.push(store);
      return store;
    };
    const {unmount} = render(
      <StrictMode>
        <SynchronizerProvider createStore={createTrackedStore} createSynchronizer={tracked.factory}>
          <Pane testId="pane" />
        </SynchronizerProvider>
      </StrictMode>,
    );
    await synchronizersCreated(tracked);
    unmount();
    expect(tracked.live()).toHaveLength(0);
    for (const store of stores) {
      expect(totalListeners(store)).toBe(0);
    }
  });

  test('destroys an async-created synchronizer that arrives after unmount', async () => {
    const tracked = trackSynchronizers(createLocalSynchronizer);
    let resolveCreation: () => void = () => {};
    const creationAllowed = new Promise<void>((resolve) => {
      resolveCreation = resolve;
    });
    const createLater = async (store: MergeableStore) => {
      await creationAllowed;
      return tracked.factory(store);
    };
    const {unmount} = render(
      <SynchronizerProvider createStore={createStore} createSynchronizer={createLater}>
        <Pane testId="pane" />
      </SynchronizerProvider>,
    );
    await act(async () => {});
    unmount();
    resolveCreation();
    await synchronizersCreated(tracked);
    await waitFor(() => expect(tracked.live()).toHaveLength(0));
  });

  test('replaces its synchronizer when the store changes, destroying the old one', async () => {
    const tracked = trackSynchronizers(createLocalSynchronizer);
    const first = createStore();
    const second = createStore();
    const {rerender} = render(
      <SynchronizerProvider store={first} createSynchronizer={tracked.factory} />,
    );
    await synchronizersCreated(tracked);
    rerender(<SynchronizerProvider store={second} createSynchronizer={tracked.factory} />);
    await synchronizersCreated(tracked, 2);
    expect(tracked.live()).toEqual([tracked.created()[1]]);
    expect(tracked.created()[1].getStore()).toBe(second);
    expect(totalListeners(first)).toBe(0);
  });

  test('keeps its synchronizer when re-rendered with a new inline factory', async () => {
    const tracked = trackSynchronizers(createLocalSynchronizer);
    const store = createStore();
    const {rerender} = render(
      <SynchronizerProvider store={store} createSynchronizer={(s) => tracked.factory(s)} />,
    );
    await synchronizersCreated(tracked);
    rerender(<SynchronizerProvider store={store} createSynchronizer={(s) => tracked.factory(s)} />);
    await act(async () => {});
    expect(tracked.created()).toHaveLength(1);
    expect(tracked.live()).toHaveLength(1);
  });

  test('neither starts nor destroys a synchronizer the app owns', () => {
    const store = createStore();
    const {synchronizer, calls} = instrument(createLocalSynchronizer(store));
    let seen: Synchronizer | undefined;
    const {unmount} = render(
      <SynchronizerProvider store={store} synchronizer={synchronizer}>
        <SynchronizerProbe onRender={(rendered) => (seen = rendered)} />
      </SynchronizerProvider>,
    );
    expect(seen).toBe(synchronizer);
    unmount();
    expect(calls).toEqual({});
    synchronizer.destroy();
  });

  test("with only an app-owned synchronizer, provides the synchronizer's store", () => {
    const store = createStore().setCell('todos', 't1', 'text', 'from the synchronizer');
    const synchronizer = createLocalSynchronizer(store);
    render(
      <SynchronizerProvider synchronizer={synchronizer}>
        <Pane testId="pane" />
      </SynchronizerProvider>,
    );
    expect(screen.getByText('from the synchronizer')).toBeTruthy();
    synchronizer.destroy();
  });

  test('reports a failing factory to onError', async () => {
    const onError = vi.fn();
    render(
      <SynchronizerProvider
        createStore={createStore}
        createSynchronizer={() => Promise.reject(new Error('no network'))}
        onError={onError}
      />,
    );
    await waitFor(() => expect(onError).toHaveBeenCalledWith(new Error('no network')));
  });

  test('nested providers: the inner default wins, ids reach across', () => {
    const outer = createStore().setValue('name', 'outer');
    const inner = createStore().setValue('name', 'inner');
    const settings = createStore().setValue('name', 'settings');
    let seen: unknown[] = [];
    render(
      <SynchronizerProvider store={outer} id="outer">
        <SynchronizerProvider store={settings} id="settings">
          <SynchronizerProvider store={inner}>
            <NestedNamesProbe onRender={(rendered) => (seen = rendered)} />
          </SynchronizerProvider>
        </SynchronizerProvider>
      </SynchronizerProvider>,
    );
    expect(seen).toEqual(['inner', 'outer', 'settings', settings]);
  });

  test('a provider with an id is also the default when none is set above', () => {
    const store = createStore().setValue('name', 'only');
    let seen: unknown[] = [];
    render(
      <SynchronizerProvider store={store} id="doc">
        <DocNamesProbe onRender={(rendered) => (seen = rendered)} />
      </SynchronizerProvider>,
    );
    expect(seen).toEqual(['only', 'only']);
  });
});

describe('useCreateSynchronizer', () => {
  test('creates after mount without starting, and destroys on unmount', async () => {
    const tracked = trackSynchronizers(createLocalSynchronizer);
    const store = createStore();
    const destroyed = vi.fn();
    const seen: (Synchronizer | undefined)[] = [];
    const {unmount} = render(
      <CreateSynchronizerProbe
        store={store}
        create={tracked.factory}
        destroy={destroyed}
        onRender={(synchronizer) => seen.push(synchronizer)}
      />,
    );
    expect(seen[0]).toBeUndefined();
    await synchronizersCreated(tracked);
    await waitFor(() => expect(seen.at(-1)).toBe(tracked.created()[0]));
    expect(tracked.created()[0].isAutoSaving()).toBe(false);
    unmount();
    expect(tracked.live()).toHaveLength(0);
    expect(destroyed).toHaveBeenCalledWith(tracked.created()[0]);
  });
});
