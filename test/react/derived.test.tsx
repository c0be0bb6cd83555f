// @vitest-environment happy-dom
// The derived-data hooks (indexes, metrics, relationships) render what TinyBase's ui-react renders
// for the same store edits (both libraries side by side, each over its own store) and call their
// listener hooks alike, and their views render the same HTML; created objects are destroyed on unmount, also under StrictMode; and a
// board over a synced store re-renders when a peer's edits arrive.
import {act, render, within} from '@testing-library/react';
import {StrictMode} from 'react';
import * as tinybase from 'tinybase';
import * as tinybaseUi from 'tinybase/ui-react';
import {afterEach, describe, expect, test} from 'vitest';
import {createIndexes, createMetrics, createRelationships} from '../../src/index.js';
import type {Indexes} from '../../src/indexes/types.js';
import type {Metrics} from '../../src/metrics/types.js';
import * as syncstoreUi from '../../src/react/index.js';
import type {Relationships} from '../../src/relationships/types.js';
import type {MergeableStore} from '../../src/store/types.js';
import {createLocalSynchronizer, createStore, totalListeners} from './support.js';

type Ui = typeof syncstoreUi;
type Library = {
  ui: Ui;
  store: MergeableStore;
  createIndexes: (store: MergeableStore) => Indexes;
  createMetrics: (store: MergeableStore) => Metrics;
  createRelationships: (store: MergeableStore) => Relationships;
};

const createLibraries = (): [theirs: Library, ours: Library] => [
  {
    ui: tinybaseUi as unknown as Ui,
    store: tinybase.createMergeableStore('a') as unknown as MergeableStore,
    createIndexes: (store) =>
      tinybase.createIndexes(store as unknown as tinybase.Store) as unknown as Indexes,
    createMetrics: (store) =>
      tinybase.createMetrics(store as unknown as tinybase.Store) as unknown as Metrics,
    createRelationships: (store) =>
      tinybase.createRelationships(store as unknown as tinybase.Store) as unknown as Relationships,
  },
  {ui: syncstoreUi, store: createStore('a'), createIndexes, createMetrics, createRelationships},
];

/** Every reading hook's result as text, and every listener hook's calls in `heard`. */
function Board({ui, heard}: {ui: Ui; heard: unknown[]}) {
  ui.useSliceIdsListener(null, (_, indexId) => heard.push(['sliceIds', indexId]));
  ui.useSliceRowIdsListener('bySpecies', null, (_, indexId, sliceId) =>
    heard.push(['sliceRowIds', indexId, sliceId]),
  );
  ui.useMetricListener(null, (_, metricId, newMetric, oldMetric) =>
    heard.push(['metric', metricId, newMetric ?? null, oldMetric ?? null]),
  );
  ui.useRemoteRowIdListener(null, null, (_, relationshipId, localRowId) =>
    heard.push(['remoteRowId', relationshipId, localRowId]),
  );
  ui.useLocalRowIdsListener('petSpecies', 'dog', (_, relationshipId, remoteRowId) =>
    heard.push(['localRowIds', relationshipId, remoteRowId]),
  );
  ui.useLinkedRowIdsListener('next', 'fido', (_, relationshipId, firstRowId) =>
    heard.push(['linkedRowIds', relationshipId, firstRowId]),
  );
  const state = {
    indexIds: ui.useIndexIds(),
    hasIndex: ui.useHasIndex('bySpecies', 'named'),
    sliceIds: ui.useSliceIds('bySpecies'),
    hasSlice: ui.useHasSlice('bySpecies', 'cat'),
    dogs: ui.useSliceRowIds('bySpecies', 'dog', 'named'),
    metricIds: ui.useMetricIds(),
    highest: ui.useMetric('highest') ?? null,
    count: ui.useMetric('count', 'named') ?? null,
    relationshipIds: ui.useRelationshipIds(),
    fidoSpecies: ui.useRemoteRowId('petSpecies', 'fido') ?? null,
    dogPets: ui.useLocalRowIds('petSpecies', 'dog', 'named'),
    fromFido: ui.useLinkedRowIds('next', 'fido'),
    unknownLinked: ui.useLinkedRowIds('next', 'fido', 'unknown'),
    ids: [ui.useIndexesIds(), ui.useMetricsIds(), ui.useRelationshipsIds()],
    byId: ui.useIndexesOrIndexesById('named') === ui.useIndexes('named'),
  };
  return (
    <div>
      <pre>{JSON.stringify(state)}</pre>
      <p>
        <ui.IndexView indexId="bySpecies" separator="/" debugIds />
        <ui.SliceView indexId="bySpecies" sliceId="dog" indexes="named" />
        <ui.MetricView metricId="highest" debugIds />
        <ui.MetricView metricId="count" metrics="named" />
        <ui.RemoteRowView relationshipId="petSpecies" localRowId="fido" debugIds />
        <ui.LocalRowsView relationshipId="petSpecies" remoteRowId="dog" separator="," debugIds />
        <ui.LinkedRowsView
          relationshipId="next"
          firstRowId="fido"
          rowComponent={({rowId}) => <i>{rowId}</i>}
        />
      </p>
    </div>
  );
}

const define = (library: Library) => {
  const {store} = library;
  const indexes = library.createIndexes(store);
  indexes.setIndexDefinition('bySpecies', 'pets', 'species', 'price');
  const metrics = library.createMetrics(store);
  metrics.setMetricDefinition('highest', 'pets', 'max', 'price');
  metrics.setMetricDefinition('count', 'pets');
  const relationships = library.createRelationships(store);
  relationships.setRelationshipDefinition('petSpecies', 'pets', 'species', 'species');
  relationships.setRelationshipDefinition('next', 'pets', 'pets', 'next');
  return {indexes, metrics, relationships};
};

const renderBoard = (library: Library) => {
  const {indexes, metrics, relationships} = define(library);
  const heard: unknown[] = [];
  const {ui} = library;
  const {container} = render(
    <ui.Provider
      indexes={indexes}
      indexesById={{named: indexes}}
      metrics={metrics}
      metricsById={{named: metrics}}
      relationships={relationships}
      relationshipsById={{named: relationships}}
    >
      <Board ui={ui} heard={heard} />
    </ui.Provider>,
  );
  return {
    text: () => container.textContent,
    html: () => container.innerHTML,
    heard,
    store: library.store,
  };
};

describe('derived-data hooks, side by side with TinyBase', () => {
  test('every edit renders the same and calls the same listeners', () => {
    const boards = createLibraries().map(renderBoard);
    const edits: ((store: MergeableStore) => unknown)[] = [
      (store) => store.setTable('species', {dog: {legs: 4}, cat: {legs: 4}}),
      (store) => store.setRow('pets', 'fido', {species: 'dog', price: 5, next: 'felix'}),
      (store) => store.setRow('pets', 'felix', {species: 'cat', price: 4, next: 'cujo'}),
      (store) => store.setRow('pets', 'cujo', {species: 'dog', price: 3}),
      // Only the highest price changes: its hook alone must re-render the board.
      (store) => store.setCell('pets', 'fido', 'price', 6),
      (store) => store.setCell('pets', 'fido', 'price', 2),
      (store) => store.setCell('pets', 'felix', 'species', 'dog'),
      (store) => store.delRow('pets', 'felix'),
      (store) => store.delTable('pets'),
    ];
    const [theirs, ours] = boards;
    expect(ours.html()).toBe(theirs.html());
    for (const edit of edits) {
      act(() => {
        for (const board of boards) {
          edit(board.store);
        }
      });
      expect(ours.html()).toBe(theirs.html());
    }
    expect(ours.html()).toContain('bySpecies:{');
    expect(ours.heard).toEqual(theirs.heard);
    expect(ours.heard.length).toBeGreaterThan(10);
  });
});

/** Creates one object of each kind with the create hooks, and reads each. */
function Creating({store}: {store: MergeableStore}) {
  const indexes = syncstoreUi.useCreateIndexes(store, (given) =>
    createIndexes(given).setIndexDefinition('bySpecies', 'pets', 'species'),
  );
  const metrics = syncstoreUi.useCreateMetrics(store, (given) =>
    createMetrics(given).setMetricDefinition('count', 'pets'),
  );
  const relationships = syncstoreUi.useCreateRelationships(store, (given) =>
    createRelationships(given).setRelationshipDefinition(
      'petSpecies',
      'pets',
      'species',
      'species',
    ),
  );
  const dogs = syncstoreUi.useSliceRowIds('bySpecies', 'dog', indexes);
  const count = syncstoreUi.useMetric('count', metrics);
  const species = syncstoreUi.useRemoteRowId('petSpecies', 'fido', relationships);
  return <pre>{JSON.stringify({dogs, count, species})}</pre>;
}

describe('useCreateIndexes, useCreateMetrics, useCreateRelationships', () => {
  test('create once under StrictMode, follow the store, and leave no listener after unmount', () => {
    const store = createStore();
    store.setRow('pets', 'fido', {species: 'dog'});
    const before = totalListeners(store);
    const {container, unmount} = render(
      <StrictMode>
        <Creating store={store} />
      </StrictMode>,
    );
    expect(container.textContent).toBe('{"dogs":["fido"],"count":1,"species":"dog"}');
    // One row and one table listener per definition, for one live object of each kind.
    expect(totalListeners(store)).toBe(before + 6);
    act(() => {
      store.setRow('pets', 'cujo', {species: 'dog'});
    });
    expect(container.textContent).toBe('{"dogs":["fido","cujo"],"count":2,"species":"dog"}');
    unmount();
    expect(totalListeners(store)).toBe(before);
  });
});

describe('over a synced store', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) {
      await cleanup();
    }
  });

  test("a peer's edits re-render the slice, the metric and the links", async () => {
    const mine = createStore('mine');
    const theirs = createStore('theirs');
    for (const store of [mine, theirs]) {
      const synchronizer = createLocalSynchronizer(store);
      cleanups.push(() => synchronizer.destroy());
      await synchronizer.startSync();
    }
    const library: Library = {
      ui: syncstoreUi,
      store: theirs,
      createIndexes,
      createMetrics,
      createRelationships,
    };
    const board = renderBoard(library);
    const {findByText} = within(document.body);
    act(() => {
      mine.setRow('pets', 'fido', {species: 'dog', price: 7});
    });
    await findByText(/"dogs":\["fido"\]/);
    expect(board.text()).toContain('"highest":7');
    expect(board.text()).toContain('"fidoSpecies":"dog"');
  });
});

/** Creates the three objects and provides them by id from inside a Provider. */
function Providing({store}: {store: MergeableStore}) {
  const indexes = syncstoreUi.useCreateIndexes(store, (given) =>
    createIndexes(given).setIndexDefinition('bySpecies', 'pets', 'species'),
  );
  const metrics = syncstoreUi.useCreateMetrics(store, (given) =>
    createMetrics(given).setMetricDefinition('count', 'pets'),
  );
  const relationships = syncstoreUi.useCreateRelationships(store, (given) =>
    createRelationships(given).setRelationshipDefinition('next', 'pets', 'pets', 'next'),
  );
  syncstoreUi.useProvideIndexes('provided', indexes as Indexes);
  syncstoreUi.useProvideMetrics('provided', metrics as Metrics);
  syncstoreUi.useProvideRelationships('provided', relationships as Relationships);
  return null;
}
/** Reads the provided objects by their id. */
function Reading() {
  const state = {
    ids: [
      syncstoreUi.useIndexesIds(),
      syncstoreUi.useMetricsIds(),
      syncstoreUi.useRelationshipsIds(),
    ],
    slices: syncstoreUi.useSliceIds('bySpecies', 'provided'),
    count: syncstoreUi.useMetric('count', 'provided') ?? null,
    linked: syncstoreUi.useLinkedRowIds('next', 'fido', 'provided'),
  };
  return <pre>{JSON.stringify(state)}</pre>;
}

describe('useProvideIndexes, useProvideMetrics, useProvideRelationships', () => {
  test('objects provided by id from inside a Provider reach the hooks given that id', () => {
    const store = createStore();
    store.setTable('pets', {fido: {species: 'dog', next: 'felix'}, felix: {species: 'cat'}});
    const {container} = render(
      <syncstoreUi.Provider>
        <Providing store={store} />
        <Reading />
      </syncstoreUi.Provider>,
    );
    expect(container.textContent).toBe(
      '{"ids":[["provided"],["provided"],["provided"]],"slices":["dog","cat"],"count":2,"linked":["fido","felix"]}',
    );
  });
});
