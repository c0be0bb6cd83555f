// @vitest-environment happy-dom
// The creation, provision and persister hooks side by side with TinyBase's ui-react:
// useCreateStore, useCreateSynchronizer and useCreatePersister (when they create, call `then`,
// destroy, and which `destroy` callback runs), useProvideStore / useProvideSynchronizer /
// useProvidePersister, Provider's persister props, and the persister status hooks. Persisters
// are each library's IndexedDB persister over fake-indexeddb.
import 'fake-indexeddb/auto';
import {act, renderHook, waitFor} from '@testing-library/react';
import type {ReactNode} from 'react';
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import {createIndexedDbPersister as createTinyBaseIndexedDbPersister} from 'tinybase/persisters/persister-indexed-db';
import {createLocalSynchronizer as createTinyBaseLocalSynchronizer} from 'tinybase/synchronizers/synchronizer-local';
import * as tinybaseUi from 'tinybase/ui-react';
import {describe, expect, test} from 'vitest';
import {createIndexedDbPersister} from '../../src/persisters/persister-indexed-db.js';
import type {Persister} from '../../src/persisters/types.js';
import * as syncstoreUi from '../../src/react/index.js';
import type {MergeableStore} from '../../src/store/types.js';
import type {Synchronizer} from '../../src/synchronizers/types.js';
import {createLocalSynchronizer, createStore, instrument} from './support.js';

type Ui = typeof syncstoreUi;
type Library = {
  name: string;
  ui: Ui;
  createStore: () => MergeableStore;
  createSynchronizer: (store: MergeableStore) => Synchronizer;
  createPersister: (store: MergeableStore, dbName: string) => Persister;
};

const LIBRARIES: Library[] = [
  {
    name: 'syncstore',
    ui: syncstoreUi,
    createStore: () => createStore(),
    createSynchronizer: (store) => createLocalSynchronizer(store),
    createPersister: (store, dbName) => createIndexedDbPersister(store, dbName),
  },
  {
    name: 'tinybase',
    ui: tinybaseUi as unknown as Ui,
    createStore: () => createTinyBaseStore() as unknown as MergeableStore,
    createSynchronizer: (store) =>
      createTinyBaseLocalSynchronizer(store as never) as unknown as Synchronizer,
    createPersister: (store, dbName) =>
      createTinyBaseIndexedDbPersister(store as never, dbName) as unknown as Persister,
  },
];

/** Runs `scenario` with each library and expects both logs to be equal, and returns ours. */
async function sameInBoth(scenario: (library: Library) => Promise<unknown[]>): Promise<unknown[]> {
  const logs: unknown[][] = [];
  for (const library of LIBRARIES) {
    logs.push(await scenario(library));
  }
  expect(logs[0]).toEqual(logs[1]);
  return logs[0];
}

/** Lets effects, microtasks and short timers run. */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 30)));

let dbNumber = 0;

describe('useCreateStore', () => {
  test('creates once, and again when createDeps change', async () => {
    const log = await sameInBoth(async ({ui, createStore}) => {
      let created = 0;
      const {result, rerender} = renderHook(
        ({dep}: {dep: number}) =>
          ui.useCreateStore(() => {
            created++;
            return createStore().setValue('dep', dep);
          }, [dep]),
        {initialProps: {dep: 1}},
      );
      const first = result.current;
      rerender({dep: 1});
      const sameStore = result.current === first;
      rerender({dep: 2});
      return [created, sameStore, result.current === first, result.current.getValue('dep')];
    });
    expect(log).toEqual([2, true, false, 2]);
  });
});

describe('useCreateSynchronizer', () => {
  test('destroys before calling destroy, with the callback of the last destroyDeps', async () => {
    const log = await sameInBoth(async ({ui, createStore, createSynchronizer}) => {
      const log: unknown[] = [];
      const store = createStore();
      const instrumented: ReturnType<typeof instrument>[] = [];
      const {rerender, unmount, result} = renderHook(
        // `x` changes on every re-render; only `d` is in destroyDeps, `c` in createDeps.
        ({c, d, x}: {c: number; d: number; x: number}) =>
          ui.useCreateSynchronizer(
            store,
            async (store) => {
              instrumented.push(instrument(createSynchronizer(store)));
              log.push(`create ${c}`);
              return instrumented.at(-1)!.synchronizer;
            },
            [c],
            (synchronizer) => {
              const index = instrumented.findIndex((each) => each.synchronizer === synchronizer);
              const destroyed = instrumented[index].calls.destroy === 1;
              log.push(`destroy callback d=${d} x=${x} of ${index + 1}, destroyed: ${destroyed}`);
            },
            [d],
          ),
        {initialProps: {c: 1, d: 1, x: 1}},
      );
      await settle();
      log.push(
        `result is ${instrumented.findIndex((each) => each.synchronizer === result.current) + 1}`,
      );
      rerender({c: 1, d: 1, x: 2});
      await settle();
      rerender({c: 2, d: 1, x: 3});
      await settle();
      rerender({c: 2, d: 2, x: 4});
      await settle();
      rerender({c: 2, d: 2, x: 5});
      await settle();
      unmount();
      await settle();
      return log;
    });
    expect(log).toEqual([
      'create 1',
      'result is 1',
      'destroy callback d=1 x=1 of 1, destroyed: true',
      'create 2',
      'destroy callback d=2 x=4 of 2, destroyed: true',
    ]);
  });
});

describe('useCreatePersister', () => {
  test('creates, returns, calls then; thenDeps and createDeps recreate; destroyDeps pick destroy', async () => {
    const log = await sameInBoth(async ({ui, createStore, createPersister}) => {
      const log: unknown[] = [];
      const store = createStore();
      const persisters: Persister[] = [];
      const indexOf = (persister: unknown) => persisters.indexOf(persister as Persister) + 1;
      const {rerender, unmount, result} = renderHook(
        ({c, t, d, x}: {c: number; t: number; d: number; x: number}) =>
          ui.useCreatePersister(
            store,
            async (store) => {
              persisters.push(createPersister(store, `lifecycle-${++dbNumber}`));
              log.push(`create (c=${c} t=${t})`);
              return persisters.at(-1);
            },
            [c],
            async (persister) => {
              log.push(`then t=${t} x=${x} of ${indexOf(persister)}`);
              await persister.save();
            },
            [t],
            (persister) => log.push(`destroy callback d=${d} x=${x} of ${indexOf(persister)}`),
            [d],
          ),
        {initialProps: {c: 1, t: 1, d: 1, x: 1}},
      );
      await settle();
      log.push(`result is ${indexOf(result.current)}`);
      rerender({c: 1, t: 1, d: 1, x: 2});
      await settle();
      rerender({c: 1, t: 2, d: 1, x: 3});
      await settle();
      rerender({c: 1, t: 2, d: 2, x: 4});
      await settle();
      rerender({c: 2, t: 2, d: 2, x: 5});
      await settle();
      log.push(`result is ${indexOf(result.current)}`);
      unmount();
      await settle();
      return log;
    });
    expect(log).toEqual([
      'create (c=1 t=1)',
      'then t=1 x=1 of 1',
      'result is 1',
      'destroy callback d=1 x=1 of 1',
      'create (c=1 t=2)',
      'then t=2 x=3 of 2',
      'destroy callback d=2 x=4 of 2',
      'create (c=2 t=2)',
      'then t=2 x=5 of 3',
      'result is 3',
      'destroy callback d=2 x=4 of 3',
    ]);
  });

  test('returns the persister before then has finished', async () => {
    const log = await sameInBoth(async ({ui, createStore, createPersister}) => {
      let finishThen = () => {};
      const store = createStore();
      const {result, unmount} = renderHook(() =>
        ui.useCreatePersister(
          store,
          (store) => createPersister(store, `early-${++dbNumber}`),
          [],
          () => new Promise<void>((resolve) => (finishThen = resolve)),
        ),
      );
      await settle();
      const returnedEarly = result.current !== undefined;
      finishThen();
      unmount();
      await settle();
      return [returnedEarly];
    });
    expect(log).toEqual([true]);
  });
});

describe('Provider with persisters, and the persister hooks', () => {
  test('usePersister, usePersisterIds and usePersisterOrPersisterById', async () => {
    const log = await sameInBoth(async ({ui, createStore, createPersister}) => {
      const store = createStore();
      const main = createPersister(store, `main-${++dbNumber}`);
      const a = createPersister(store, `a-${dbNumber}`);
      const b = createPersister(store, `b-${dbNumber}`);
      const wrapper = ({children}: {children: ReactNode}) => (
        <ui.Provider persister={main} persistersById={{a}}>
          <ui.Provider persistersById={{b}}>{children}</ui.Provider>
        </ui.Provider>
      );
      const {result} = renderHook(
        () => [
          ui.usePersister() === main,
          ui.usePersister('a') === a,
          ui.usePersister('b') === b,
          ui.usePersister('c'),
          ui.usePersisterIds(),
          ui.usePersisterOrPersisterById() === main,
          ui.usePersisterOrPersisterById('b') === b,
          ui.usePersisterOrPersisterById(a) === a,
          ui.usePersisterOrPersisterById('c'),
        ],
        {wrapper},
      );
      return result.current;
    });
    expect(log).toEqual([true, true, true, undefined, ['a', 'b'], true, true, true, undefined]);
  });

  test('usePersisterStatus and usePersisterStatusListener follow a save', async () => {
    const log = await sameInBoth(async ({ui, createStore, createPersister}) => {
      const store = createStore().setValue('v', 1);
      const persister = createPersister(store, `status-${++dbNumber}`);
      const rendered: unknown[] = [];
      const heard: unknown[] = [];
      const wrapper = ({children}: {children: ReactNode}) => (
        <ui.Provider persistersById={{p: persister}}>{children}</ui.Provider>
      );
      renderHook(
        () => {
          rendered.push(ui.usePersisterStatus('p'));
          ui.usePersisterStatusListener((listened, status) =>
            heard.push([listened === persister, status]),
          );
          ui.usePersisterStatusListener(
            (listened, status) => heard.push(['by id', listened === persister, status]),
            [],
            'p',
          );
        },
        {wrapper},
      );
      await act(() => persister.save());
      await waitFor(() => expect(rendered.at(-1)).toBe(0));
      return [[...new Set(rendered)], heard];
    });
    expect(log).toEqual([
      [0, 2],
      [
        ['by id', true, 2],
        ['by id', true, 0],
      ],
    ]);
  });
});

/** Provides a store, a synchronizer and a persister by id with one library's hooks. */
function Providing({
  ui,
  store,
  synchronizer,
  persister,
}: {
  ui: Ui;
  store: MergeableStore;
  synchronizer: Synchronizer;
  persister: Persister;
}) {
  ui.useProvideStore('s', store);
  ui.useProvideSynchronizer('y', synchronizer);
  ui.useProvidePersister('p', persister);
  return null;
}

function ProvidingStore({store}: {store: MergeableStore}) {
  syncstoreUi.useProvideStore('extra', store);
  return null;
}

describe('useProvideStore, useProvideSynchronizer and useProvidePersister', () => {
  test('add by id to the provider while the providing component is mounted', async () => {
    const log = await sameInBoth(async ({ui, createStore, createSynchronizer, createPersister}) => {
      const store = createStore();
      const synchronizer = createSynchronizer(store);
      const persister = createPersister(store, `provide-${++dbNumber}`);
      // Read by the wrapper on every render: whether the providing component is mounted.
      let providing = true;
      const other = createStore();
      const wrapper = ({children}: {children?: ReactNode}) => (
        <ui.Provider storesById={{other}}>
          {providing ? (
            <Providing ui={ui} store={store} synchronizer={synchronizer} persister={persister} />
          ) : null}
          {children}
        </ui.Provider>
      );
      const {result, rerender} = renderHook(
        () => [
          ui.useStoreIds(),
          ui.useStore('s') === store,
          ui.useSynchronizerIds(),
          ui.useSynchronizer('y') === synchronizer,
          ui.usePersisterIds(),
          ui.usePersister('p') === persister,
        ],
        {wrapper},
      );
      await settle();
      const mounted = result.current;
      providing = false;
      rerender();
      await settle();
      const unmounted = result.current;
      synchronizer.destroy();
      return [mounted, unmounted];
    });
    expect(log).toEqual([
      [['other', 's'], true, ['y'], true, ['p'], true],
      [['other'], false, [], false, [], false],
    ]);
  });

  test('SynchronizerProvider takes provided things too', async () => {
    const store = createStore();
    const provided = createStore();
    const {result} = renderHook(
      () => [syncstoreUi.useStoreIds(), syncstoreUi.useStore('extra') === provided],
      {
        wrapper: ({children}) => (
          <syncstoreUi.SynchronizerProvider store={store} id="main">
            <ProvidingStore store={provided} />
            {children}
          </syncstoreUi.SynchronizerProvider>
        ),
      },
    );
    await settle();
    expect(result.current).toEqual([['main', 'extra'], true]);
  });
});
