// React cases (issue 5): syncstore/react against tinybase/ui-react, both on React's production
// build and on a happy-dom document. The same app for both: a list component (useRowIds) renders
// one row component per row (useRow), each row renders its 10 cells.
//
//   mount             render 1k rows x 10 cells into a fresh root, with flushSync: render, commit
//                     and the useSyncExternalStore subscriptions, all inside the timed run
//   one-cell change   a change made in another store (a remote peer) merged with
//                     applyMergeableChanges inside flushSync: merge, listeners, render and commit
//                     of what changed. 200 changes per sample, each timed alone; the sample is
//                     their median (the mean is an extra column), with the row re-renders per
//                     change, which must be exactly 1 (and 0 list re-renders) or the case fails
//
// Production React: this module sets NODE_ENV=production and installs happy-dom's window and
// document before it imports react, react-dom or either library's bindings (dynamically, on
// first use), so React loads its production build with a DOM. The globals are removed after
// each case, so later cases see plain Node. Nothing else in bench/ imports React.

import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import type {Root} from 'react-dom/client';
import {createMergeableStore as createTinybaseStore} from 'tinybase';
import {createMergeableStore as createSyncstoreStore} from '../../src/index.js';
import type {MergeableChanges, MergeableStore, Row} from '../../src/store/types.js';
import {
  type BenchCase,
  type CaseOptions,
  defineCase,
  type LibraryName,
  median,
  type Side,
} from '../harness.js';

const GROUP = 'react';
const TABLE_ID = 't';
const CELLS_PER_ROW = 10;
/** One-cell changes timed per sample; each goes to a different row. */
const CHANGES_PER_SAMPLE = 200;

/** The part of each library's React binding the app uses. */
type Binding = {
  Provider: (props: {store: never; children?: unknown}) => unknown;
  useRow: (tableId: string, rowId: string) => Row;
  useRowIds: (tableId: string) => string[];
};

type ReactModules = {
  react: typeof import('react');
  client: typeof import('react-dom/client');
  flushSync: typeof import('react-dom').flushSync;
  bindings: Record<LibraryName, Binding>;
};

// --- a DOM and production React, loaded on first use ----------------------------------------

let window: import('happy-dom').Window | undefined;
let modules: ReactModules | undefined;
const installedGlobals = ['window', 'document'] as const;

async function loadDomAndReact(): Promise<ReactModules> {
  const {Window} = await import('happy-dom');
  window ??= new Window();
  const global = globalThis as Record<string, unknown>;
  global.window = window;
  global.document = window.document;
  if (modules === undefined) {
    process.env.NODE_ENV = 'production';
    const react = await import('react');
    expectProductionReact(react);
    const client = await import('react-dom/client');
    const {flushSync} = await import('react-dom');
    const syncstore = await import('../../src/react/index.js');
    const tinybase = await import('tinybase/ui-react');
    modules = {
      react,
      client,
      flushSync,
      bindings: {
        syncstore: syncstore as unknown as Binding,
        tinybase: tinybase as unknown as Binding,
      },
    };
  }
  return modules;
}

/** Throws unless `react` is React's production build (the one `NODE_ENV=production` selects). */
function expectProductionReact(react: typeof import('react')): void {
  const require = createRequire(import.meta.url);
  const productionBuild = join(dirname(require.resolve('react')), 'cjs', 'react.production.js');
  if ((react as {default?: unknown}).default !== require(productionBuild)) {
    throw new Error('react loaded its development build; the React cases need production');
  }
}

function removeDom(): void {
  const global = globalThis as Record<string, unknown>;
  for (const name of installedGlobals) {
    delete global[name];
  }
}

// --- the app ------------------------------------------------------------------------------

/** Row component renders, counted across both libraries (only one renders at a time). */
let rowRenders = 0;
let listRenders = 0;

type App = (store: MergeableStore) => unknown;

function appFor({react, bindings}: ReactModules, library: LibraryName): App {
  const {createElement: h} = react;
  const {Provider, useRow, useRowIds} = bindings[library];
  // Components are built per library because each library's hooks are loaded at run time.
  // biome-ignore lint/correctness/noComponentHookFactories: built once per library, not per render
  function RowComponent({rowId}: {rowId: string}) {
    rowRenders++;
    const row = useRow(TABLE_ID, rowId);
    return h(
      'tr',
      null,
      Object.keys(row).map((cellId) => h('td', {key: cellId}, String(row[cellId]))),
    );
  }
  // biome-ignore lint/correctness/noComponentHookFactories: built once per library, not per render
  function List() {
    listRenders++;
    const rowIds = useRowIds(TABLE_ID);
    return h(
      'table',
      null,
      h(
        'tbody',
        null,
        rowIds.map((rowId) => h(RowComponent, {key: rowId, rowId})),
      ),
    );
  }
  return (store) => h(Provider as never, {store} as never, h(List));
}

// --- stores ---------------------------------------------------------------------------------

const createStore: Record<LibraryName, (uniqueId: string) => MergeableStore> = {
  syncstore: createSyncstoreStore,
  tinybase: (uniqueId) => createTinybaseStore(uniqueId) as unknown as MergeableStore,
};

function fillRows(store: MergeableStore, rows: number): MergeableStore {
  return store.transaction(() => {
    for (let row = 0; row < rows; row++) {
      for (let cell = 0; cell < CELLS_PER_ROW; cell++) {
        store.setCell(TABLE_ID, `r${row}`, `c${cell}`, row * CELLS_PER_ROW + cell);
      }
    }
    return store;
  });
}

/** A local store and a remote peer holding the same content, as after an initial sync. */
function syncedPair(library: LibraryName, rows: number) {
  const remote = fillRows(createStore[library]('remote'), rows);
  const local = createStore[library]('local');
  local.setMergeableContent(remote.getMergeableContent());
  return {local, remote};
}

/** Changes the remote peer makes, one cell each in a different row, as it would send them. */
function remoteOneCellChanges(remote: MergeableStore, rows: number): MergeableChanges<boolean>[] {
  const changes: MergeableChanges<boolean>[] = [];
  for (let index = 0; index < CHANGES_PER_SAMPLE; index++) {
    const rowId = `r${(index * 7919) % rows}`;
    remote.transaction(() => {
      remote.setCell(TABLE_ID, rowId, 'c3', `remote ${index}`);
      changes.push(remote.getTransactionMergeableChanges());
    });
  }
  return changes;
}

type Mounted = {root: Root; container: import('happy-dom').HTMLElement; store: MergeableStore};

function mount(react: ReactModules, app: App, store: MergeableStore): Mounted {
  const container = window!.document.createElement('div');
  window!.document.body.appendChild(container);
  const root = react.client.createRoot(container as unknown as Element);
  react.flushSync(() => root.render(app(store) as never));
  return {root, container, store};
}

function unmount(react: ReactModules, {root, container}: Mounted): void {
  react.flushSync(() => root.unmount());
  container.remove();
}

function expectRenderedRows({container}: Mounted, rows: number, library: LibraryName): void {
  // Walks to the <tbody> instead of querySelectorAll('tr'): happy-dom's query cache keeps every
  // queried tree alive (about 100 MB per mount here), which ran a full bench out of heap.
  const tbody = container.firstChild?.firstChild;
  const rendered = tbody?.childNodes.length ?? 0;
  if (rendered !== rows) {
    throw new Error(`${library} rendered ${rendered} rows, expected ${rows}`);
  }
}

function expectSubscribedRows({store}: Mounted, rows: number, library: LibraryName): void {
  const subscribed = store.getListenerStats().row;
  if (subscribed !== rows) {
    throw new Error(`${library} holds ${subscribed} row listeners after mount, expected ${rows}`);
  }
}

function mean(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0) / values.length;
}

// --- cases ----------------------------------------------------------------------------------

function bothSides<Input, Prepared>(
  sideFor: (library: LibraryName) => Side<Input, Prepared>,
): Record<LibraryName, Side<Input, Prepared>> {
  return {syncstore: sideFor('syncstore'), tinybase: sideFor('tinybase')};
}

type Setup = {react: ReactModules; apps: Record<LibraryName, App>};

async function setupReact(): Promise<Setup> {
  const react = await loadDomAndReact();
  return {
    react,
    apps: {syncstore: appFor(react, 'syncstore'), tinybase: appFor(react, 'tinybase')},
  };
}

function mountCase(rows: number): BenchCase<Setup, {store: MergeableStore; mounted?: Mounted}> {
  return defineCase({
    group: GROUP,
    name: `mount rows x ${CELLS_PER_ROW} cells`,
    size: rows,
    samples: 9,
    warmup: 3,
    setup: setupReact,
    teardown: removeDom,
    ...bothSides((library) => ({
      prepare: () => ({store: syncedPair(library, rows).local}),
      run: (prepared, {react, apps}) => {
        prepared.mounted = mount(react, apps[library], prepared.store);
      },
      cleanup: (prepared, {react}) => {
        const mounted = prepared.mounted!;
        // The subscriptions are made in passive effects; flushSync runs them before returning,
        // so they are inside the timed run. Checked here so a lazy subscription cannot cheat.
        expectSubscribedRows(mounted, rows, library);
        expectRenderedRows(mounted, rows, library);
        unmount(react, mounted);
      },
    })),
  });
}

type UpdatePrepared = {mounted: Mounted; changes: MergeableChanges<boolean>[]};

function oneCellChangeCase(rows: number): BenchCase<Setup, UpdatePrepared> {
  return defineCase({
    group: GROUP,
    name: `one-cell remote change, ${CELLS_PER_ROW}-cell rows`,
    size: rows,
    unit: 'ms',
    samples: 9,
    warmup: 2,
    setup: setupReact,
    teardown: removeDom,
    ...bothSides((library) => ({
      prepare: ({react, apps}) => {
        const {local, remote} = syncedPair(library, rows);
        return {
          mounted: mount(react, apps[library], local),
          changes: remoteOneCellChanges(remote, rows),
        };
      },
      measure: ({mounted, changes}, {react}) => {
        rowRenders = 0;
        listRenders = 0;
        const times: number[] = [];
        for (const change of changes) {
          const started = performance.now();
          react.flushSync(() => {
            mounted.store.applyMergeableChanges(change);
          });
          times.push(performance.now() - started);
        }
        const rendersPerChange = rowRenders / changes.length;
        if (rendersPerChange !== 1 || listRenders !== 0) {
          throw new Error(
            `${library}: ${rendersPerChange} row renders per change and ${listRenders} list ` +
              'renders, expected 1 and 0',
          );
        }
        // The median change: one change is a fraction of a millisecond, so a single pause (a
        // garbage collection, another process on a shared core) would otherwise dominate a mean.
        return {
          value: median(times),
          extras: {'mean ms': mean(times), 'row renders/change': rendersPerChange},
        };
      },
      cleanup: ({mounted}, {react}) => {
        if (!mounted.container.textContent?.includes('remote')) {
          throw new Error(`${library}: the remote change is not on screen`);
        }
        unmount(react, mounted);
      },
    })),
  });
}

export function cases(options: CaseOptions): BenchCase[] {
  const rows = options.quick ? 100 : 1_000;
  return [mountCase(rows), oneCellChangeCase(rows)];
}
